import datetime as dt

import pytest

from analytics.dates import durations, infer_published, resolve

FRI = dt.date(2023, 5, 19)  # a Friday


@pytest.mark.parametrize(
    ("sentence", "date", "precision"),
    [
        ("The strike on Friday killed three.", dt.date(2023, 5, 19), "day"),
        ("Talks held on Wednesday ended.", dt.date(2023, 5, 17), "day"),
        ("Forces advanced last week.", dt.date(2023, 5, 12), "week"),
        ("Russia took the town in May.", dt.date(2023, 5, 1), "month"),
        ("Kyiv recaptured it in November.", dt.date(2022, 11, 1), "month"),
        ("Talks held on 17 May were tense.", dt.date(2023, 5, 17), "day"),
        ("It began on February 24, 2022.", dt.date(2022, 2, 24), "day"),
        ("In March 2022 the siege began.", dt.date(2022, 3, 1), "month"),
        ("They signed an agreement in May of 2021.", dt.date(2021, 5, 1), "month"),
        ("Explosions were heard yesterday.", dt.date(2023, 5, 18), "day"),
    ],
)
def test_expressions_resolve_against_publication(sentence, date, precision):
    d = resolve(sentence, FRI, "day")
    assert (d.date, d.precision, d.basis) == (date, precision, "text")


def test_may_the_verb_and_plain_words_are_not_dates():
    for s in ("It may rain.", "Do it to a friend.", "They may well advance."):
        d = resolve(s, FRI, "day")
        assert d.basis == "document" and d.date == FRI


def test_no_date_falls_back_to_document_precision():
    d = resolve("Fighting continued.", dt.date(2023, 5, 1), "month")
    assert (d.date, d.precision, d.basis) == (dt.date(2023, 5, 1), "month", "document")
    assert resolve("Fighting continued.", None).date is None


def test_extension_is_a_span():
    d = resolve("Moscow agreed to a two-month extension of the grain deal.", FRI, "day")
    assert (d.span_start, d.span_end) == (FRI, dt.date(2023, 7, 19))


def test_anchored_duration_dates_the_article_not_the_record():
    s = "They aim at repelling Russia’s 15-month-long invasion."
    assert resolve(s, FRI, "day").span_end is None
    assert [(x.n, x.unit, x.noun) for x in durations(s)] == [(15, "month", "invasion")]
    assert infer_published(s) == (dt.date(2023, 5, 1), "month")


def test_planned_sentences_lean_to_the_future():
    d = resolve("The leaders will meet on Tuesday.", FRI, "day", prefer="future")
    assert d.date == dt.date(2023, 5, 23)
    d = resolve("A summit is planned for 11 July.", FRI, "day", prefer="future")
    assert d.date == dt.date(2023, 7, 11)


def test_a_yearless_deadline_in_a_clause_that_looks_ahead_lies_ahead():
    published = dt.date(2024, 4, 17)
    assert resolve("Russia is to take this area until May 9.", published).date == dt.date(2024, 5, 9)
    assert resolve("Russia wants to capture the town by May 9.", published).date == dt.date(2024, 5, 9)
    # Told in the past, or with its year, a date keeps its own direction.
    assert resolve("The talks ran until April 2.", published).date == dt.date(2024, 4, 2)
    assert resolve("Russia attacked on May 9.", published).date == dt.date(2023, 5, 9)
    assert resolve("Troops must leave by March 1, 2025.", published).date == dt.date(2025, 3, 1)
