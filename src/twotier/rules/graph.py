"""The commitment graph: who is bound to defend whom under a policy (pure).

``G[g, p]`` is True when guarantor ``g`` is bound to defend ``p``:

- every ally is bound to defend itself;
- a guarantor that does not apply the policy's condition (not in
  ``guarantee.guarantors``) defends everyone, as Article 5 has it;
- a guarantor that applies it defends only tier-1 allies;
- with ``only_tier1_defend``, an ally outside tier 1 defends no one but itself.

Unknown tiers give unknown edges (three-valued logic). **Backing** of an ally is the
current-US$ defence expenditure of every ally bound to defend it, itself included.
An ally without armed forces (Iceland) has no expenditure in NATO's tables and adds
nothing; any other ally whose expenditure is unknown makes the sum unknown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twotier.rules.policy import Policy

__all__ = [
    "backing",
    "backing_arrays",
    "commitment_arrays",
    "commitment_matrix",
    "contributions",
    "edges_frame",
]


def _kleene_and(
    v1: np.ndarray, k1: np.ndarray, v2: np.ndarray, k2: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    false = (k1 & ~v1) | (k2 & ~v2)
    true = k1 & v1 & k2 & v2
    return true, true | false


def commitment_matrix(iso3: list[str], tier1: pd.Series, policy: Policy) -> pd.DataFrame:
    """Boolean (nullable) matrix ``G[guarantor, protected]`` for one policy.

    Parameters
    ----------
    iso3
        The allies, in order (rows and columns of the matrix).
    tier1
        Nullable boolean per ally (index ``iso3``): in tier 1, not, or unknown.
    policy
        Supplies ``guarantee.guarantors`` and ``guarantee.only_tier1_defend``.
    """
    covered = tier1.reindex(iso3).astype("boolean")
    guarantors = policy.guarantee.guarantors
    value, known = commitment_arrays(
        covered.fillna(False).to_numpy(dtype=bool),
        covered.notna().to_numpy(),
        np.array([guarantors == "all" or code in guarantors for code in iso3], dtype=bool),
        only_tier1_defend=policy.guarantee.only_tier1_defend,
    )
    matrix = pd.DataFrame(
        {p: pd.arrays.BooleanArray(value[:, j].copy(), ~known[:, j]) for j, p in enumerate(iso3)},
        index=pd.Index(iso3, name="guarantor"),
    )
    matrix.columns.name = "protected"
    return matrix


def commitment_arrays(
    cov_value: np.ndarray,
    cov_known: np.ndarray,
    conditional: np.ndarray,
    *,
    only_tier1_defend: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """The matrix of :func:`commitment_matrix` as two boolean arrays: value and known.

    ``cov_value``/``cov_known``: each ally's tier 1 (value where known);
    ``conditional``: whether each ally applies the policy's condition as guarantor.
    """
    n = len(cov_value)
    # Unconditional guarantors defend everyone; conditional ones defend tier 1 only.
    value = ~conditional[:, None] | np.broadcast_to(cov_value[None, :], (n, n))
    known = ~conditional[:, None] | np.broadcast_to(cov_known[None, :], (n, n))
    if only_tier1_defend:
        rows_v = np.broadcast_to(cov_value[:, None], (n, n))
        rows_k = np.broadcast_to(cov_known[:, None], (n, n))
        value, known = _kleene_and(value, known, rows_v, rows_k)
    np.fill_diagonal(value, True)
    known = known.copy()
    np.fill_diagonal(known, True)
    return value, known


def contributions(expenditure: pd.Series, armed_forces: pd.Series) -> pd.Series:
    """What each ally adds to the backing of those it defends (US$ m, nullable).

    The ally's expenditure; 0 for an ally without armed forces and without figures;
    missing for any other ally without a figure.
    """
    exp = expenditure.astype("Float64")
    no_forces = ~armed_forces.reindex(exp.index).astype(bool)
    return exp.mask(exp.isna() & no_forces, 0.0)


def backing(matrix: pd.DataFrame, contribution: pd.Series) -> pd.Series:
    """Backing per protected ally: sum of the contributions of its bound guarantors.

    Missing when an unknown edge or an unknown contribution could change the sum
    (an unknown edge from a guarantor that contributes 0 changes nothing).
    """
    c = contribution.reindex(matrix.index).astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    sums, unknown = backing_arrays(
        matrix.fillna(False).to_numpy(dtype=bool), matrix.notna().to_numpy(), c
    )
    values = pd.array(sums, dtype="Float64")
    values[unknown] = pd.NA
    return pd.Series(values, index=matrix.columns, name="backing_usd_m")


def backing_arrays(
    bound: np.ndarray, known: np.ndarray, contribution: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`backing` on arrays: (sums, unknown) per protected ally.

    ``bound``/``known``: the matrix (value where known); ``contribution``: float, NaN
    where unknown. The sums are rounded to 0.1 (US$ m).
    """
    c_col = contribution[:, None]
    unknown = ((bound & np.isnan(c_col)) | (~known & ~(c_col == 0))).any(axis=0)
    sums = np.where(bound, np.nan_to_num(c_col), 0.0).sum(axis=0)
    return np.round(sums, 1), unknown


def edges_frame(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix as a tidy frame: ``guarantor, protected, bound`` (one row per pair)."""
    guarantors = list(matrix.index)
    rows = len(guarantors)
    return pd.DataFrame(
        {
            "guarantor": np.repeat(guarantors, len(matrix.columns)),
            "protected": np.tile(list(matrix.columns), rows),
            "bound": pd.arrays.BooleanArray(
                matrix.fillna(False).to_numpy(dtype=bool).ravel(),
                matrix.isna().to_numpy().ravel(),
            ),
        }
    )
