"""`linli faq template faq.xlsx`: a blank FAQ sheet with Chinese headers that `linli faq import` accepts."""
from __future__ import annotations

from pathlib import Path

import click

# The second sheet: how to fill the first one (the import reads only the first sheet).
GUIDE = (
    ("列", "怎么填"),
    ("编号", "每条问答一个固定编号：小写字母、数字、下划线，字母开头，如 office_hours、juzhu_zhengming"),
    ("问题", "居民最常见的问法，如“社区办公时间是几点到几点？”"),
    ("其他问法", "同一个问题的其他说法，每行一个（单元格内按 Alt+Enter 换行）"),
    ("答案", "机器人直接回复的内容，一条微信消息的长度以内"),
    ("分类", "后台显示用的分组，如 办事服务、物业维修"),
    ("工单类别", "答不了时转给值班人员的工单类别：政策咨询、开具证明、报修、邻里纠纷、投诉、求助、社区活动、意见建议、其他"),
    ("标签", "可选，每行一个"),
    ("启用", "是 / 否，空白表示是"),
    ("", ""),
    ("导入", "填好后运行：linli faq import 本文件.xlsx --replace（--replace 会停用不在表中的示例问答）"),
)


@click.command("template")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def faq_template(path: str, force: bool) -> None:
    """Write a blank FAQ sheet (Chinese headers) for the office to fill in and import."""
    from openpyxl import load_workbook

    from bot.faq_store.xlsx import write_xlsx

    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise click.ClickException("模板文件名须以 .xlsx 结尾")
    if target.exists() and not force:
        raise click.ClickException(f"{target} 已存在，未覆盖（覆盖请加 --force）")
    write_xlsx(str(target), [])
    wb = load_workbook(target)
    guide = wb.create_sheet("填写说明")
    for row in GUIDE:
        guide.append(row)
    guide.column_dimensions["A"].width, guide.column_dimensions["B"].width = 10, 100
    wb.save(target)
    click.echo(f"已生成空白问答模板：{target}（第一张表填写问答，第二张表是填写说明）")
