"""A small FAQ shared by the matcher and router tests."""

KB = """faqs:
  - {id: office_hours, question: 社区办公时间是几点到几点, alt_questions: [社区几点上班几点下班, 周末社区有人值班吗], answer: 社区工作日上午8:30上班、下午17:30下班，周末有人值班, route: consult}
  - {id: dibao_apply, question: 低保怎么申请, alt_questions: [最低生活保障申请条件, 低保需要什么材料], answer: 低保以家庭为单位申请，带户口本和身份证到社区申请最低生活保障, route: aid}
  - {id: heating_repair, question: 暖气不热怎么报修, alt_questions: [暖气片不热, 家里暖气冰凉], answer: 暖气不热请先给暖气片放气，仍不热请打热力公司电话报修, route: repair}
  - {id: heating_fee, question: 暖气费怎么交, alt_questions: [供暖时间, 暖气费多少钱], answer: 暖气费在热力公司营业厅缴纳，供暖时间11月15日开始, route: consult}
  - {id: residence_permit, question: 居住证怎么办理, alt_questions: [居住证到期续签, 外地人办居住证], answer: 外地户籍居民带身份证和租房合同到派出所办理居住证，每年签注续期, route: consult}
  - {id: senior_card, question: 老年卡怎么办, alt_questions: [老人坐公交免费吗, 老年优待证], answer: 60岁以上老人带身份证和照片办理老年卡（老年优待证），坐公交免费, route: consult}
  - {id: dog_registration, question: 养狗需要办证吗, alt_questions: [办狗证, 犬只登记去哪], answer: 养狗须办理犬只登记（狗证），带免疫证明到登记点办理, route: consult}
  - {id: book_bar, question: 社区书吧几点开门, alt_questions: [书吧开放时间, 借书要办卡吗], answer: 社区书吧每天9点开门，借书需办借书卡, route: activity}
"""
