"""The peer-suite harness: how the suites' coding conventions are read against dyadwatch's records."""

from dyadwatch import peer
from dyadwatch.model import Event, Span


def event(kind, source, target):
    return Event(type=kind, source=source, target=target, evidence=Span(0, 1), quote="x", trigger=Span(0, 1))


def test_an_organisation_stands_for_the_suites_igo(extractor):
    organisations = peer.organisation_codes(extractor)
    assert {"EU", "NATO"} <= organisations and "RUS" not in organisations
    expected = peer.Expected("SANCTION", "IGO", "BLR")
    assert peer.produced(expected, [event("SANCTION", "EU-GOV", "BLR-GOV")], 3, organisations)
    assert not peer.produced(expected, [event("SANCTION", "EU-GOV", "BLR-GOV")], 3)


def test_gsr_codings_use_todays_type_names_and_country_codes():
    coding = {"plover_event": "DEMAND", "source": "JAP", "target": "RUS"}
    assert peer._gsr_expected(coding) == peer.Expected("REQUEST", "JPN", "RUS")


def test_a_missing_expected_target_accepts_any_target_and_joint_types_read_both_ways():
    assert peer.produced(peer.Expected("PROTEST", "DZA", None), [event("PROTEST", "DZA", "DZA-GOV")], 3)
    assert peer.produced(peer.Expected("AGREE", "BLR", "RUS"), [event("AGREE", "RUS-GOV", "BLR")], 3)
    assert not peer.produced(peer.Expected("ACCUSE", "BLR", "RUS"), [event("ACCUSE", "RUS", "BLR")], 3)
