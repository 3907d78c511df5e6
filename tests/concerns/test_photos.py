"""Photos of a concern: chosen at the door with the intake form or added later on the
concern's page, checked by their bytes, served only to users who may see the concern and
never shown on the public page nor written into the register's export."""

import io

import openpyxl
import pytest
from django.urls import reverse

from concerns import services
from concerns.models import Concern, ConcernEvent, ConcernPhoto
from tests.concerns.factories import JPEG, PNG, a_concern, a_photo
from tests.concerns.test_pages import intake
from tests.portal.test_public_page import a_public_panel  # noqa: F401


def _post_intake(client, geo, *photos, **fields):
    return client.post("/concerns/new/", {**intake(geo, **fields), "photos": list(photos)})


def test_a_community_member_receives_a_concern_with_two_photos(geo, people, login):
    client = login(people.community)
    form = client.get("/concerns/new/").content.decode()
    assert 'type="file"' in form and "multiple" in form and 'accept="image/*"' in form
    assert 'enctype="multipart/form-data"' in form and "照片（可选）" in form
    response = _post_intake(
        client,
        geo,
        a_photo("门口.png", PNG, "image/png"),
        a_photo("楼道.jpg", JPEG, "image/jpeg"),
    )
    concern = Concern.objects.get()
    assert response.status_code == 302 and response["Location"] == concern.get_absolute_url()
    photos = list(concern.photos.order_by("pk"))
    assert [p.name for p in photos] == ["门口.png", "楼道.jpg"]
    assert all(p.uploaded_by == people.community for p in photos)
    assert photos[0].history.get().history_user == people.community

    page = client.get(concern.get_absolute_url()).content.decode()
    for photo in photos:
        assert f'<img src="{photo.get_absolute_url()}" alt="{photo.name}"' in page

    served = client.get(photos[0].get_absolute_url())
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == PNG
    served = client.get(photos[1].get_absolute_url())
    assert served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == JPEG


def test_a_photo_is_served_only_to_those_who_see_the_concern(geo, people, login, client):
    concern = a_concern(people.community, geo.community_a1, photos=[a_photo()])
    url = concern.photos.get().get_absolute_url()
    assert login(people.street_a).get(url).status_code == 200
    assert login(people.district_staff).get(url).status_code == 200
    assert login(people.street_b).get(url).status_code == 404  # another street's
    assert login(people.inspector).get(url).status_code == 403
    response = client.get(url)  # a visitor
    assert response.status_code == 302 and "login" in response["Location"]
    assert not url.startswith("/media/")


def test_a_pdf_is_a_link_not_an_image(geo, people, login):
    concern = a_concern(
        people.community,
        geo.community_a1,
        photos=[a_photo("平面图.pdf", b"%PDF-1.7 plan", "application/pdf")],
    )
    photo = concern.photos.get()
    assert not photo.is_image
    page = login(people.community).get(concern.get_absolute_url()).content.decode()
    assert f'<a href="{photo.get_absolute_url()}">平面图.pdf (PDF)</a>' in page
    assert f'<img src="{photo.get_absolute_url()}"' not in page


def test_a_renamed_program_is_refused_and_nothing_is_saved(geo, people, login):
    client = login(people.community)
    response = _post_intake(
        client,
        geo,
        a_photo("门口.png", PNG),
        a_photo("照片.jpg", b"MZ\x90\x00 a program", "image/jpeg"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "“照片.jpg”不是PDF或图片" in page
    assert "请重新选择照片" in page  # a browser does not refill the chosen files
    assert not Concern.objects.exists() and not ConcernPhoto.objects.exists()
    assert "垃圾桶满了没人清" in page  # what was typed is kept


def test_a_file_too_large_is_refused_by_name(geo, people, login, settings):
    settings.MAX_UPLOAD_MB = 1
    big = PNG + b"\x00" * (1024 * 1024)
    response = _post_intake(login(people.community), geo, a_photo("大图.png", big))
    assert "“大图.png”大小为1.0 MB，文件最大1 MB" in response.content.decode()
    assert not Concern.objects.exists() and not ConcernPhoto.objects.exists()


def test_another_error_asks_for_the_photos_again(geo, people, login):
    response = _post_intake(login(people.community), geo, a_photo(), resident_name="")
    page = response.content.decode()
    assert "请填写居民姓名" in page and "请重新选择照片" in page
    assert not ConcernPhoto.objects.exists()
    # a refused file and the record's own error are told at once
    bad = a_photo("照片.jpg", b"MZ", "image/jpeg")
    response = _post_intake(login(people.community), geo, bad, resident_name="")
    page = response.content.decode()
    assert "请填写居民姓名" in page and "“照片.jpg”不是PDF或图片" in page
    assert not ConcernPhoto.objects.exists()
    # without photos chosen, no such notice
    response = _post_intake(login(people.community), geo, resident_name="")
    assert "请重新选择照片" not in response.content.decode()


def test_adding_photos_later_writes_one_timeline_line(geo, people, login):
    concern = a_concern(people.community, geo.community_a1)
    client = login(people.community)
    page = client.get(concern.get_absolute_url()).content.decode()
    url = reverse("concerns:add_photos", args=[concern.pk])
    assert f'action="{url}"' in page and 'enctype="multipart/form-data"' in page
    response = client.post(
        url, {"add_photos-photos": [a_photo("修好了.png"), a_photo("近景.jpg", JPEG)]}
    )
    assert response.status_code == 302
    assert concern.photos.count() == 2
    line = ConcernEvent.objects.get(concern=concern, kind=ConcernEvent.Kind.PHOTOS)
    assert (line.by, line.text) == (people.community, "修好了.png、近景.jpg")
    assert "已添加照片" in client.get(concern.get_absolute_url()).content.decode()


def test_adding_no_photo_or_a_bad_one_saves_nothing(geo, people, login):
    concern = a_concern(people.community, geo.community_a1)
    client = login(people.community)
    url = reverse("concerns:add_photos", args=[concern.pk])
    response = client.post(url, {})
    assert response.status_code == 200 and "请至少选择一张照片" in response.content.decode()
    bad = a_photo("现场.jpg", b"<html>not a photo</html>", "image/jpeg")
    response = client.post(url, {"add_photos-photos": [a_photo(), bad]})
    page = response.content.decode()
    assert "“现场.jpg”不是PDF或图片" in page and "请重新选择照片" in page
    assert not concern.photos.exists()
    assert not concern.events.filter(kind=ConcernEvent.Kind.PHOTOS).exists()


def test_only_those_who_act_on_the_concern_add_photos(geo, people, login):
    concern = a_concern(people.community, geo.community_a1)
    url = reverse("concerns:add_photos", args=[concern.pk])
    page = login(people.district_staff).get(concern.get_absolute_url()).content.decode()
    assert f'action="{url}"' not in page
    response = login(people.district_staff).post(url, {"add_photos-photos": [a_photo()]})
    assert response.status_code == 403 and not concern.photos.exists()
    response = login(people.street_b).post(url, {"add_photos-photos": [a_photo()]})
    assert response.status_code == 404


def test_photos_never_reach_the_public_page_or_the_export(
    geo,
    people,
    login,
    client,
    a_public_panel,  # noqa: F811
):
    concern = a_concern(
        people.community, geo.community_a1, courtyard=geo.courtyard_a1, photos=[a_photo()]
    )
    photo = concern.photos.get()
    page = client.get(reverse("public_courtyard", args=[geo.courtyard_a1.pk])).content.decode()
    assert "public-concerns" in page  # the concerns' counts are there
    assert photo.get_absolute_url() not in page and photo.name not in page
    assert photo.file.name not in page and "/concerns/photos/" not in page

    response = login(people.street_a).get("/concerns/", {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert concern.number in cells
    assert not any(photo.name in c or "/concerns/photos/" in c for c in cells)


def test_the_admin_lists_the_photos_as_links_to_the_checked_view(geo, people, login):
    concern = a_concern(people.community, geo.community_a1, photos=[a_photo()])
    photo = concern.photos.get()
    page = login(people.street_a).get(f"/admin/concerns/concern/{concern.pk}/change/").text
    assert f'<a href="{photo.get_absolute_url()}">门口.png</a>' in page
    assert photo.file.name not in page  # never the storage's address


@pytest.mark.parametrize("name", ["photo.exe", "门口.png"])
def test_the_service_refuses_a_non_image_whatever_its_name(geo, people, name):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.concern_receive(
            by=people.community,
            community=geo.community_a1,
            channel="phone",
            category="repairs",
            text="漏水",
            resident_name="张三",
            photos=[a_photo(name, b"MZ\x90\x00", "image/png")],
        )
    assert "photos" in refused.value.message_dict
    assert not Concern.objects.exists()
