"""Safe/compatible-mode message crypto (wechatpy's WXBizMsgCrypt implementation)."""
from __future__ import annotations

import binascii
from xml.parsers.expat import ExpatError

from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException

from bot.wechat.security import BadRequest, Forbidden, screen_xml, verify_signature


class MessageCrypto:
    """Decrypts inbound bodies and encrypts passive replies for one account."""

    def __init__(self, token: str, aes_key: str, appid: str):
        self.token = token
        self._crypto = WeChatCrypto(token, aes_key, appid) if aes_key else None

    @property
    def enabled(self) -> bool:
        return self._crypto is not None

    def decrypt(self, body: bytes, msg_signature: str | None, timestamp: str, nonce: str) -> str:
        """Verify msg_signature over <Encrypt> (constant time) and return the plaintext XML."""
        if self._crypto is None:
            raise BadRequest("encrypted message but no EncodingAESKey configured")
        encrypted = _encrypt_field(body)
        verify_signature((self.token, timestamp, nonce, encrypted), msg_signature)
        try:
            plain = self._crypto.decrypt_message(body, msg_signature, timestamp, nonce)
        except InvalidSignatureException:
            raise Forbidden("bad msg_signature") from None
        except InvalidAppIdException:
            raise BadRequest("message encrypted for another AppID") from None
        except (KeyError, ExpatError, ValueError, TypeError, IndexError, UnicodeError,
                binascii.Error, AssertionError) as exc:
            raise BadRequest(f"cannot decrypt: {type(exc).__name__}") from None
        except Exception as exc:  # wechatpy/cryptography raise assorted types on junk
            raise BadRequest(f"cannot decrypt: {type(exc).__name__}") from None
        screen_xml(plain)
        return plain

    def encrypt(self, reply_xml: str, nonce: str, timestamp: str) -> str:
        return self._crypto.encrypt_message(reply_xml, nonce, timestamp)


def _encrypt_field(body: bytes) -> str:
    from defusedxml import ElementTree as SafeET

    node = SafeET.fromstring(body).find("Encrypt")
    if node is None or not (node.text or "").strip():
        raise BadRequest("no <Encrypt> element")
    return node.text
