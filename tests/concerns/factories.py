"""Builders for concerns tests: a concern goes through the services, as pages do."""

from django.core.files.uploadedfile import SimpleUploadedFile

from concerns import services
from concerns.models import Concern

# Small images: a valid 1×1 red PNG and a JPEG's opening bytes (files are judged by their bytes).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c6338636c0c0003010133c4c27b130000000049454e44ae426082"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def a_photo(name="门口.png", content=PNG, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def a_concern(by, community, **fields):
    values = {
        "channel": Concern.Channel.PHONE,
        "category": Concern.Category.REPAIRS,
        "text": "楼道灯坏了",
        "resident_name": "王秀英",
        "resident_phone": "13812345678",
        **fields,
    }
    return services.concern_receive(by=by, community=community, **values)
