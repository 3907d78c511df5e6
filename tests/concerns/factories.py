"""Builders for concerns tests: a concern goes through the services, as pages do."""

from concerns import services
from concerns.models import Concern


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
