"""Three short hand-written reports about one gas transit agreement, for tests that check numbers.

a.txt (15.03.2021, Eastern Energy Monitor): the signing on 3 March 2021, a trade share of 48 % for 2020,
    and a forecast that gas supplies will increase by the end of 2021.
b.txt (20.06.2021, Eastern Energy Monitor): extra supplies delivered on 2 June 2021, a share of 50 % in May 2021.
c.txt (20.01.2022, Baltic Trade Review): the agreement suspended on 10 January 2022, the signing again,
    a share of 45 % for 2021.
"""

from __future__ import annotations

from pathlib import Path

from dyadwatch.pipeline import Extractor
from dyadwatch.store.database import Store
from tests.conftest import store_of_reports

REPORTS = {
    "a.txt": "A gas deal for the new year\n\nBy Anna Berg\nEastern Energy Monitor\n\n15.03.2021\n\n"
             "On 3 March 2021 Belarus and Russia signed the gas transit agreement in Minsk.\n\n"
             "Russia's share of Belarusian foreign trade was 48 per cent in 2020.\n\n"
             "Outlook. Russia will probably increase gas supplies to Belarus under the transit agreement by the "
             "end of 2021.\n",
    "b.txt": "More gas for the refineries\n\nBy Ivan Petrov\nEastern Energy Monitor\n\n20.06.2021\n\n"
             "On 2 June 2021 Russia delivered additional gas supplies to Belarus under the gas transit agreement.\n\n"
             "Belarusian foreign trade share of Russia reached 50 per cent in May 2021.\n",
    "c.txt": "The end of the transit deal\n\nBaltic Trade Review\n\n20.01.2022\n\n"
             "On 10 January 2022 Russia suspended the gas transit agreement with Belarus. On 10 January 2022 Russia "
             "halted gas supplies to Belarus under the gas transit agreement.\n\n"
             "The agreement had been signed by Belarus and Russia on 3 March 2021 in Minsk.\n\n"
             "Belarus' foreign trade share of Russia fell to 45 per cent in 2021.\n",
}


def gas_store(folder: Path, extractor: Extractor) -> Store:
    """The three reports ingested into a fresh SQLite database in `folder`."""
    return store_of_reports(folder, REPORTS, extractor, str(folder / "gas.db"))
