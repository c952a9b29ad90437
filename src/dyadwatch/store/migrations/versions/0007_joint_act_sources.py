"""Stories of joint acts (AGREE, CONSULT, COOPERATE) stored with a 'source' contradiction that only named the two
sides in another order lose it: such acts are read in either direction, so only a third country among their
reports is a disagreement (story_rules._actors_disagree).

Revision ID: 0007
Revises: 0006
"""

import json

import sqlalchemy as sa
from alembic import op

from dyadwatch.evaluate import SYMMETRIC_TYPES, country

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    joint = sa.bindparam("types", sorted(SYMMETRIC_TYPES), expanding=True)
    stories = conn.execute(sa.text("SELECT id, contradictions FROM stories WHERE type IN :types "
                                   "AND contradictions LIKE '%source%'").bindparams(joint)).all()
    for story_id, stored in stories:
        kept = [entry for entry in json.loads(stored or "[]")
                if entry[0] != "source" or _third_country(conn, story_id)]
        conn.execute(sa.text("UPDATE stories SET contradictions = :kept WHERE id = :id"),
                     {"kept": json.dumps(kept, ensure_ascii=False), "id": story_id})


def _third_country(conn: sa.Connection, story_id: str) -> bool:
    rows = conn.execute(sa.text("SELECT source, target FROM story_reports WHERE story_id = :id"), {"id": story_id})
    return len({country(code) for row in rows for code in row if code}) > 2
