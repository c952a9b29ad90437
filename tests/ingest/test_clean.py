import pytest

from dyadwatch.ingest.clean import clean, paragraphs, unwrapped
from dyadwatch.knowledge import load_knowledge

FURNITURE = load_knowledge().furniture


def in_original(original, cleaned, start, end):
    """The original characters that the cleaned text's [start, end) came from."""
    s, e = cleaned.to_original(start, end)
    return original[s:e]


def original_of(original, cleaned, words):
    """The original characters that `words`, as they first stand in the cleaned text, came from."""
    start = cleaned.text.index(words)
    return in_original(original, cleaned, start, start + len(words))


def test_link_markup_and_emphasis_are_removed_but_offsets_point_to_the_original():
    original = "Minsk [said](#) that *Gazprom* would cut \\$5 of transit."
    cleaned = clean(original, FURNITURE)
    assert cleaned.text == "Minsk said that Gazprom would cut $5 of transit."
    assert original_of(original, cleaned, "Gazprom") == "Gazprom"
    assert in_original(original, cleaned, 0, len(cleaned.text)) == original


@pytest.mark.parametrize(("original", "read"), [
    ("USD\u00a0500 million", "USD 500 million"),
    # curly quotes as the straight ones the coder was trained reading
    ("Chisinau’s envoy called the plan “a step back” and ‘unworkable’.",
     "Chisinau's envoy called the plan \"a step back\" and 'unworkable'."),
])
def test_characters_swapped_one_for_one_keep_every_offset(original, read):
    cleaned = clean(original, FURNITURE)
    assert cleaned.text == read
    assert cleaned.origin == tuple(range(len(original)))


def test_a_ligature_is_spelt_out_and_its_letters_point_back_at_it():
    original = "The o\ufb03cials \ufb01led a complaint."
    cleaned = clean(original, FURNITURE)
    assert cleaned.text == "The officials filed a complaint."
    assert original_of(original, cleaned, "officials") == "o\ufb03cials"
    assert original_of(original, cleaned, "filed") == "\ufb01led"
    assert original_of(original, cleaned, "complaint.") == "complaint."


def test_page_furniture_lines_and_polls_are_dropped():
    original = ("Print this article\nRate this article\n(votes: 3, rating: 4)\n\nThe report begins here.\n\n"
                "Share this article\n\nPoll conducted\n\n  1. Do you agree?\n    Yes\n     12 (40%)\n"
                "For students\n")
    cleaned = clean(original, FURNITURE)
    assert "The report begins here." in cleaned.text
    for furniture in ("Print", "Rate", "votes", "Share", "Poll", "agree", "12 (40%)", "students"):
        assert furniture not in cleaned.text


def test_a_menu_bar_is_dropped_but_a_bar_holding_the_date_stays():
    original = "Home | World | Politics | Contact us\n\nAnalysis | Quito, 3 June 2021\n\nThe report begins here.\n"
    cleaned = clean(original, FURNITURE)
    assert "Politics" not in cleaned.text
    assert "Analysis | Quito, 3 June 2021" in cleaned.text


def test_a_repeated_opening_paragraph_is_dropped_keeping_the_first_copy():
    lead = ("Relations between the two capitals have been tested by a long dispute over oil prices, "
            "transit fees and the terms of a new credit line.")
    varied = lead.replace("a long dispute", "the long dispute")
    original = f"{lead}\n\nA second, different paragraph follows with other words in it.\n\n{varied}\n\nEnd."
    cleaned = clean(original, FURNITURE)
    assert cleaned.text.count("transit fees") == 1
    first = cleaned.text.index("transit fees")
    s, _ = cleaned.to_original(first, first + 5)
    assert s == original.index("transit fees")


def test_paragraphs_are_split_on_blank_lines():
    text = "One.\n\n  Two, with space.  \n\n\nThree."
    assert [text[s:e] for s, e in paragraphs(text)] == ["One.", "Two, with space.", "Three."]


WRAPPED = ("The two ministers met in Vienna on Monday and agreed\n"
           "to resume the border talks, which had stalled since\n"
           "spring. Kyiv welcomed the step.\n"
           "- a list item that stays on its own line\n"
           "| a | table row |\n"
           "| b | another |")


def test_lines_wrapped_inside_a_sentence_are_joined_without_moving_any_character():
    joined = unwrapped(WRAPPED)
    assert len(joined) == len(WRAPPED)
    assert joined.startswith("The two ministers met in Vienna on Monday and agreed to resume the border talks, "
                             "which had stalled since spring.")


def test_breaks_after_a_sentence_before_a_list_item_and_around_table_rows_stay():
    lines = unwrapped(WRAPPED).split("\n")
    assert lines[1:] == ["- a list item that stays on its own line", "| a | table row |", "| b | another |"]
    assert lines[0].endswith("spring. Kyiv welcomed the step.")
    ended = "The two ministers met in Vienna on Monday and agreed to resume the talks.\nKyiv welcomed it."
    assert unwrapped(ended) == ended  # the widest line, but it ends a sentence


def test_a_title_line_that_stops_short_is_not_joined_to_the_text_below_it():
    text = "Border talks resume\nThe two ministers met in Vienna on Monday and agreed to resume the border talks."
    assert unwrapped(text) == text


def test_a_list_item_wrapped_over_two_lines_is_one_line_and_the_next_item_starts_its_own():
    items = ("- The council extended the sanctions on the officials it had listed\n"
             "  in March and added two companies.\n"
             "- The ministers met again in June.")
    assert unwrapped(items).split("\n") == [
        "- The council extended the sanctions on the officials it had listed   in March and added two companies.",
        "- The ministers met again in June."]


def test_footnote_marks_are_removed_and_offsets_still_point_to_the_original():
    original = ("Baku signed the accord.[4] Yerevan objected[5, 6] and asked the court for a ruling.¹² "
                "The ruling came in May.17 It was final.")
    cleaned = clean(original, FURNITURE)
    assert cleaned.text == ("Baku signed the accord. Yerevan objected and asked the court for a ruling. "
                            "The ruling came in May. It was final.")
    start = cleaned.text.index("Yerevan")
    end = cleaned.text.index("ruling.") + len("ruling.")
    assert in_original(original, cleaned, start, end) == "Yerevan objected[5, 6] and asked the court for a ruling."


def test_numbers_that_are_no_footnote_marks_stay():
    original = "[1] Smith, J. The corridor. 2021.\nTrade grew by 3.12 percent. The U.S.12 list was cut to 5.5 Units."
    assert clean(original, FURNITURE).text.startswith("[1] Smith, J. The corridor. 2021.\nTrade grew by 3.12 "
                                                      "percent. The U.S.12 list was cut to 5.5 Units.")


def test_soft_hyphens_and_zero_width_characters_are_deleted_not_read_as_spaces():
    original = "The negoti\u00adations on the pipe\u00adline\u200b resumed.\ufeff"
    cleaned = clean(original, FURNITURE)
    assert cleaned.text == "The negotiations on the pipeline resumed."
    assert original_of(original, cleaned, "negotiations") == "negoti\u00adations"


def test_a_line_that_starts_with_a_bullet_of_any_shape_keeps_its_break():
    for bullet in "-•●■►":
        items = f"The council extended the sanctions on the officials it had listed\n{bullet} two companies were added"
        assert unwrapped(items) == items
