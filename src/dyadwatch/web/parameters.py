"""Query parameters a page or API route does not take are refused (422), not silently ignored: a misspelt
filter would otherwise show an unfiltered list that looks filtered."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.dependencies.models import Dependant

# Set by the redirect after a review and read from the request by the page it lands on.
REDIRECT_PARAMETERS = frozenset({"reviewed"})


def reject_unknown_parameters(request: Request) -> None:
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:  # static files and other mounts take what they take
        return
    known = query_names(dependant) | REDIRECT_PARAMETERS
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        taken = ", ".join(sorted(known - REDIRECT_PARAMETERS)) or "none"
        raise HTTPException(422, f"unknown query parameter {', '.join(unknown)}; this address takes: {taken}")


def query_names(dependant: Dependant) -> set[str]:
    """The query parameters a route reads, its dependencies' included."""
    names = {parameter.alias for parameter in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= query_names(dependency)
    return names
