"""Words of people who stay, however OCR read them, are never another person's name."""

from __future__ import annotations

from tests.detect.pages import CASE_YAML, make_case, make_page


def test_a_five_letter_protected_name_with_a_letter_lost_is_not_another_person() -> None:
    from redaction.detect.base import DetectContext
    from redaction.detect.protected import _looks_protected

    case = make_case(CASE_YAML.replace('name: "Amelia Hart"', 'name: "Fiifi Hart"'))
    ctx = DetectContext(case=case, file_name="x.pdf", pages=[make_page(["Fifi Fifa Fiifi Kofi"])])
    toks = ctx.tokens[0]
    got = {t.raw: _looks_protected(t, ctx, ctx.texts[0]) for t in toks}
    assert got == {"Fifi": True, "Fifa": False, "Fiifi": True, "Kofi": False}


def test_protected_initials_with_a_speck_read_as_a_small_letter_are_not_a_person() -> None:
    from redaction.detect.base import DetectContext
    from redaction.detect.protected import _looks_protected

    ctx = DetectContext(case=make_case(), file_name="x.pdf", pages=[make_page(["CHi CHX Chi Dan"])])
    got = {t.raw: _looks_protected(t, ctx, ctx.texts[0]) for t in ctx.tokens[0]}
    assert got == {"CHi": True, "CHX": True, "Chi": False, "Dan": False}


def test_a_name_with_its_h_read_as_ti_still_reads_like_the_protected_name() -> None:
    from redaction.detect.base import DetectContext
    from redaction.detect.protected import _looks_protected

    ctx = DetectContext(case=make_case(CASE_YAML.replace("Amelia Hart", "Zehra Hart")), file_name="x.pdf",
                        pages=[make_page(["Zetira fell out with Azra over a football."])])
    toks = ctx.tokens[0]
    assert _looks_protected(toks[0], ctx, ctx.texts[0], toks)
    assert not _looks_protected(toks[4], ctx, ctx.texts[0], toks)
