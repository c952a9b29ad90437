"""knowledge/currencies.yaml as read: codes, names and signs, and the names several currencies share."""

from dyadwatch.knowledge.currencies import bundled_currencies, read_currencies

ENTRIES = [
    {"code": "INR", "names": ["Indian rupee", "Indian rupees", "rupees"], "signs": ["₹", "Rs"], "countries": ["IND"]},
    {"code": "PKR", "names": ["Pakistani rupees", "rupees"], "signs": ["Rs"], "countries": ["PAK"]},
    {"code": "NPR", "names": ["rupees"], "signs": ["Rs"], "countries": ["NPL"]},
    {"code": "TOP", "names": ["pa'anga"], "countries": ["TON"], "code_in_text": False},
    {"code": "GBP", "names": ["pounds sterling"], "countries": ["GBR"], "scaled_names": ["pounds"]},
    {"code": "EGP", "names": ["Egyptian pounds"], "countries": ["EGY"], "scaled_names": ["pounds"]},
    {"code": "FKP", "names": ["Falkland pounds"], "countries": ["FLK"]},
]


def test_a_name_or_sign_of_one_currency_gives_its_code_and_a_shared_one_itself():
    currencies = read_currencies(ENTRIES)
    assert currencies.unit_of_name("Indian  Rupees") == "INR"
    assert currencies.unit_of_name("rupees") == "rupees"
    assert currencies.unit_of_name("tonnes") is None
    assert currencies.signs["₹"] == "INR" and currencies.signs["Rs"] == "Rs"
    assert currencies.codes == ("INR", "PKR", "NPR", "GBP", "EGP", "FKP")


def test_a_shared_name_is_the_currency_of_the_one_country_of_the_dyad_that_uses_it():
    currencies = read_currencies(ENTRIES)
    assert currencies.in_dyad("rupees", ("PAK", "AFG")) == "PKR"
    assert currencies.in_dyad("Rs", ("CHN", "NPL")) == "NPR"
    assert currencies.in_dyad("rupees", ("IND", "PAK")) == "rupees"  # both do: the text does not say which
    assert currencies.in_dyad("rupees", ("FRA", "DEU")) == "rupees"
    assert currencies.in_dyad("INR", ("PAK", "AFG")) == "INR"


def test_a_name_read_only_after_a_scale_is_no_plain_name_and_is_shared_like_one():
    currencies = read_currencies(ENTRIES)
    assert currencies.unit_of_name("pounds") is None
    assert currencies.unit_of_scaled_name("Pounds") == "pounds"
    assert currencies.in_dyad("pounds", ("GBR", "IRL")) == "GBP"
    assert currencies.in_dyad("pounds", ("EGY", "SDN")) == "EGP"
    assert currencies.in_dyad("pounds", ("FLK", "ARG")) == "pounds"  # its pound has no scaled name


def test_the_bundled_file_has_one_entry_per_code_and_iso_codes_only():
    currencies = bundled_currencies()
    assert len(set(currencies.codes)) == len(currencies.codes)
    assert all(len(code) == 3 and code.isupper() for code in currencies.codes)
    assert {"USD", "EUR", "INR", "JPY", "KRW", "EGP", "ETB", "AMD", "AZN", "RSD"} <= set(currencies.codes)
