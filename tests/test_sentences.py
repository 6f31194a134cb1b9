from analytics.sentences import split


def texts(t):
    return [s.text for s in split(t)]


def test_offsets_index_the_text():
    t = "Title line\n\nFirst sentence here. Second one!\nThird?"
    for s in split(t):
        assert t[s.start : s.end] == s.text
    assert texts(t) == ["Title line", "First sentence here.", "Second one!", "Third?"]


def test_abbreviations_do_not_split():
    t = "U.S. President Joe Biden met Gen. Smith and Mr. Jones. The overvaluation of U.S. equipment grew."
    assert texts(t) == [
        "U.S. President Joe Biden met Gen. Smith and Mr. Jones.",
        "The overvaluation of U.S. equipment grew.",
    ]


def test_quotes_stay_with_their_sentence():
    t = 'He said: “We will win.” Then he left. "Go now," she said. ‘Yes.’ It ended.'
    assert texts(t) == [
        "He said: “We will win.”",
        "Then he left.",
        '"Go now," she said.',
        "‘Yes.’",
        "It ended.",
    ]


def test_no_split_before_lower_case_word():
    assert len(split("The talks in Washington D.C. ended. They met again.")) == 2
    assert len(split("Troops moved approx. five miles. Then stopped.")) == 2


def test_a_full_stop_that_lost_its_space_still_ends_the_sentence():
    t = "He was captured by the SBU.A photo was shared. It would be a war symbol.More is in the article."
    assert texts(t) == ["He was captured by the SBU.", "A photo was shared.", "It would be a war symbol.",
                        "More is in the article."]  # fmt: skip
    assert texts("The U.S.A. and the U.K. agreed. Visit www.example.com today.") == [
        "The U.S.A. and the U.K. agreed.",
        "Visit www.example.com today.",
    ]
