"""Petitions walked through the real services, for the public side's tests (notices, look-up, access)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from presidium.choices import Role

PERSON = {"name": "王建国", "mobile": "13912345678", "id_number": "33010219800101123X",
          "address": "甲镇东风村三组12号"}


def registered(township, *, by=None, **extra):
    from petitions import services

    values = {"subject": "村道损坏多年未修", "content": "东风村三组村道损坏严重，雨天无法通行，请求修缮。",
              "village": "东风村", **PERSON, **extra}
    return services.petition_register(township=township, by=by, channel="online" if by is None else "visit",
                                      **values)


def accepted(world, **extra):
    from petitions import services

    staff = world.user(Role.PRESIDIUM_STAFF)
    petition = registered(world.township, **extra)
    return services.petition_accept(petition=petition, by=staff)


def transferred(world, **extra):
    from petitions import services

    staff = world.user(Role.PRESIDIUM_STAFF)
    petition = accepted(world, **extra)
    transfer = services.petition_transfer(petition=petition, by=staff, unit=world.unit, owner_name="李站长",
                                          due_on=timezone.localdate() + dt.timedelta(days=20))
    petition.refresh_from_db()
    return petition, transfer


def answered(world, **extra):
    from petitions import services

    staff = world.user(Role.PRESIDIUM_STAFF)
    petition, transfer = transferred(world, **extra)
    services.petition_unit_reply(petition=petition, by=world.user(Role.UNIT_LIAISON),
                                 reply="已组织施工队修缮，王建国本人确认。", reply_public="已组织施工队修缮。")
    notice = services.petition_reply(petition=petition, by=staff, findings="true", request_reasonable=True,
                                     resolution="solved", text="经核实，王建国反映的情况属实，村道已于本月修缮完毕。",
                                     public_text="经核实，反映的情况属实，村道已于本月修缮完毕。")
    petition.refresh_from_db()
    return petition, transfer, notice


def notice_of(petition, kind):
    return petition.notices.select_related("number").get(kind=kind)
