"""Uploaded photos: images only (decided by content, not by name), size-limited, re-encoded.

Re-encoding to a fresh JPEG drops every metadata block the camera wrote (EXIF with GPS position,
maker notes, XMP, embedded thumbnails); the EXIF orientation is applied to the pixels first so the
picture still stands the right way up.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"})
MAX_PIXELS = 50_000_000  # decompression bombs: a 50 MP phone photo is the largest we take
MAX_EDGE = 2560  # long edge after re-encoding: plenty for a ledger, a tenth of the bytes
JPEG_QUALITY = 85
# Thumbnails fill tiles about 180 CSS px wide (two per row on a phone) at twice the pixel density:
# 400 px on the long edge is sharp there and ~20 KB instead of ~500 KB for the picture.
THUMBNAIL_EDGE = 400
THUMBNAIL_QUALITY = 75


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    width: int
    height: int

    @property
    def size(self) -> int:
        return self.content.size


def max_upload_bytes() -> int:
    return min(getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024), 20 * 1024 * 1024)


def clean_image(upload, *, max_edge: int = MAX_EDGE) -> CleanImage:
    """Check ``upload`` is a real image within limits and return it re-encoded as a metadata-free JPEG."""
    name = getattr(upload, "name", "") or _("照片")
    limit = max_upload_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("“%(name)s”太大（%(size).1f MB），每张照片不能超过 %(limit)d MB。")
            % {"name": name, "size": size / 1024 / 1024, "limit": limit // 1024 // 1024},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name}, code="empty")
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("“%(name)s”太大，每张照片不能超过 %(limit)d MB。")
                              % {"name": name, "limit": limit // 1024 // 1024}, code="too_large")
    not_an_image = ValidationError(
        _("“%(name)s”不是可识别的图片。请上传 JPG、PNG 或 WebP 格式的照片。") % {"name": name}, code="not_image"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise not_an_image
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("“%(name)s”的像素过多，请压缩后再上传。") % {"name": name}, code="too_many_pixels")
            probe.verify()  # structural check; the image must be reopened after verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise not_an_image from None
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    elif image.mode == "L":
        image = image.convert("RGB")
    image.thumbnail((max_edge, max_edge), Image.Resampling.LANCZOS)
    # A fresh image holds pixels only: Pillow carries ``info`` (ICC, XMP, EXIF) into save() otherwise.
    pixels_only = Image.new("RGB", image.size)
    pixels_only.paste(image)
    out = io.BytesIO()
    pixels_only.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return CleanImage(ContentFile(out.getvalue(), name="photo.jpg"), pixels_only.width, pixels_only.height)


def make_thumbnail(data: bytes, *, edge: int = THUMBNAIL_EDGE) -> ContentFile:
    """A small JPEG of an image already cleaned by :func:`clean_image` (trusted: our own re-encoded bytes)."""
    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        image.thumbnail((edge, edge), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return ContentFile(out.getvalue(), name="thumb.jpg")
