"""Continued training: a coder trained on grown data starts from the weights of the coder trained before it.

Training from the base model costs an epoch's time for every pass over all the data, and the data grows each
round; starting from the previous coder lets fewer passes reach the same point. Everything carries over by
name except the path embeddings, whose rows belong to a vocabulary that the grown data changes: rows are
carried by path, and a path new to the grown data starts untrained.

Kept free of torch so that the mapping can be tested where only dyadwatch's run time is installed.
"""

from __future__ import annotations

from collections.abc import Mapping

# what must be equal for two coders' weights to fit one network
SHAPE_KEYS = ("own_country_slot", "marked_roles", "encoder_layers")


class WarmStartError(ValueError):
    pass


def path_rows(before: list[str], now: list[str]) -> list[int | None]:
    """For each row of the new path embedding (row 0: a path outside the vocabulary, then `now` in order), the
    row of the old embedding that holds the same path, or None where the path is new."""
    old_row = {path: row for row, path in enumerate(before, start=1)}
    return [0, *(old_row.get(path) for path in now)]


def check_shape(saved: Mapping[str, object], recipe: Mapping[str, object]) -> None:
    """Raises when the saved coder's network is built otherwise than the one about to be trained."""
    differing = [key for key in SHAPE_KEYS if (saved.get(key) or None) != (recipe.get(key) or None)]
    if differing:
        shown = ", ".join(f"{key} {saved.get(key)!r} there, {recipe.get(key)!r} here" for key in differing)
        raise WarmStartError(f"the saved coder is built otherwise ({shown}): train with the same options")
