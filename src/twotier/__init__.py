"""twotier: reported NATO burden-sharing proposals turned into checkable numbers.

The public API. Everything the CLI and the dashboard do goes through these names
(and :mod:`twotier.errors`, :mod:`twotier.render`); a test reads their imports to keep
it so.

Names are imported on first use (PEP 562), so ``import twotier`` is cheap and
``twotier --version`` does not load the data, the models or their libraries.

>>> import twotier
>>> twotier.threshold_policy(2).id
'threshold-2'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "INDICATORS": "twotier.data",
    "LATEST": "twotier.data.select",
    "MEMBERS": "twotier.data",
    "NEGOTIATION_PARAMETERS": "twotier.models.negotiation.api",
    "TABLE_COLUMNS": "twotier.rules.coverage",
    "BacktestResult": "twotier.models.projection.backtest",
    "CoverageSummary": "twotier.rules.coverage",
    "Criterion": "twotier.rules.policy",
    "DataError": "twotier.errors",
    "EnvironmentProblem": "twotier.errors",
    "Exemption": "twotier.rules.policy",
    "Explanation": "twotier.rules.explanation",
    "Grace": "twotier.rules.policy",
    "Guarantee": "twotier.rules.policy",
    "InputError": "twotier.errors",
    "ModelResult": "twotier.models.result",
    "NatoData": "twotier.data",
    "NegotiationParams": "twotier.models.negotiation.engine",
    "NegotiationResult": "twotier.models.negotiation.api",
    "Policy": "twotier.rules.policy",
    "PolicyError": "twotier.errors",
    "ProjectionParams": "twotier.models.projection.api",
    "ProjectionResult": "twotier.models.projection.api",
    "ResponseParams": "twotier.models.response.api",
    "ResponseResult": "twotier.models.response.api",
    "Scenario": "twotier.models.negotiation.scenario",
    "ScenarioError": "twotier.errors",
    "TwotierError": "twotier.errors",
    "UnknownAllyError": "twotier.errors",
    "UnknownEditionError": "twotier.errors",
    "UnknownIndicatorError": "twotier.errors",
    "UnknownPolicyError": "twotier.errors",
    "UserPolicyWarning": "twotier.rules.registry",
    "YearError": "twotier.errors",
    "aid_defaults": "twotier.models.negotiation.api",
    "aid_notes": "twotier.models.negotiation.api",
    "aid_sweep_values": "twotier.models.negotiation.api",
    "backtest": "twotier.models.projection.backtest",
    "builtin_policy_text": "twotier.rules.registry",
    "check_edition": "twotier.data.select",
    "commitment_graph": "twotier.rules.commitments",
    "comparable_editions": "twotier.data.select",
    "compare": "twotier.rules.commitments",
    "coverage": "twotier.rules.coverage",
    "coverage_summary": "twotier.rules.coverage",
    "diff": "twotier.rules.coverage",
    "edition_names": "twotier.data.select",
    "explain": "twotier.rules.explain",
    "exploitation_test": "twotier.models.response.exploitation",
    "figure_source": "twotier.data.select",
    "get_policy": "twotier.rules.registry",
    "guarantee_gaps": "twotier.rules.commitments",
    "import_workbook": "twotier.data.store",
    "latest_complete_year": "twotier.data.select",
    "list_policies": "twotier.rules.registry",
    "load_data": "twotier.data",
    "load_policy_file": "twotier.rules.registry",
    "load_scenario": "twotier.models.negotiation.api",
    "negotiate": "twotier.models.negotiation.api",
    "negotiation_params": "twotier.models.negotiation.api",
    "parse_policy": "twotier.rules.policy",
    "project": "twotier.models.projection.api",
    "remove_edition": "twotier.data.store",
    "resolve_ally": "twotier.rules.allies",
    "resolve_policy": "twotier.rules.registry",
    "select_figures": "twotier.data.select",
    "select_series": "twotier.data.select",
    "simulate_rule_response": "twotier.models.response.api",
    "threshold_policy": "twotier.rules.registry",
    "to_json_dict": "twotier.rules.coverage",
    "verify_data": "twotier.data",
    "years_with_figures": "twotier.data.select",
}

__all__ = [
    "INDICATORS",
    "LATEST",
    "MEMBERS",
    "NEGOTIATION_PARAMETERS",
    "TABLE_COLUMNS",
    "BacktestResult",
    "CoverageSummary",
    "Criterion",
    "DataError",
    "EnvironmentProblem",
    "Exemption",
    "Explanation",
    "Grace",
    "Guarantee",
    "InputError",
    "ModelResult",
    "NatoData",
    "NegotiationParams",
    "NegotiationResult",
    "Policy",
    "PolicyError",
    "ProjectionParams",
    "ProjectionResult",
    "ResponseParams",
    "ResponseResult",
    "Scenario",
    "ScenarioError",
    "TwotierError",
    "UnknownAllyError",
    "UnknownEditionError",
    "UnknownIndicatorError",
    "UnknownPolicyError",
    "UserPolicyWarning",
    "YearError",
    "__version__",
    "aid_defaults",
    "aid_notes",
    "aid_sweep_values",
    "backtest",
    "builtin_policy_text",
    "check_edition",
    "commitment_graph",
    "comparable_editions",
    "compare",
    "coverage",
    "coverage_summary",
    "diff",
    "edition_names",
    "explain",
    "exploitation_test",
    "figure_source",
    "get_policy",
    "guarantee_gaps",
    "import_workbook",
    "latest_complete_year",
    "list_policies",
    "load_data",
    "load_policy_file",
    "load_scenario",
    "negotiate",
    "negotiation_params",
    "parse_policy",
    "project",
    "remove_edition",
    "resolve_ally",
    "resolve_policy",
    "select_figures",
    "select_series",
    "simulate_rule_response",
    "threshold_policy",
    "to_json_dict",
    "verify_data",
    "years_with_figures",
]

if TYPE_CHECKING:  # what a type checker and an IDE see; kept equal to _EXPORTS by a test
    from twotier.data import INDICATORS, MEMBERS, NatoData, load_data, verify_data
    from twotier.data.select import (
        LATEST,
        check_edition,
        comparable_editions,
        edition_names,
        figure_source,
        latest_complete_year,
        select_figures,
        select_series,
        years_with_figures,
    )
    from twotier.data.store import import_workbook, remove_edition
    from twotier.errors import (
        DataError,
        EnvironmentProblem,
        InputError,
        PolicyError,
        ScenarioError,
        TwotierError,
        UnknownAllyError,
        UnknownEditionError,
        UnknownIndicatorError,
        UnknownPolicyError,
        YearError,
    )
    from twotier.models.negotiation.api import (
        NEGOTIATION_PARAMETERS,
        NegotiationResult,
        aid_defaults,
        aid_notes,
        aid_sweep_values,
        load_scenario,
        negotiate,
        negotiation_params,
    )
    from twotier.models.negotiation.engine import NegotiationParams
    from twotier.models.negotiation.scenario import Scenario
    from twotier.models.projection.api import ProjectionParams, ProjectionResult, project
    from twotier.models.projection.backtest import BacktestResult, backtest
    from twotier.models.response.api import ResponseParams, ResponseResult, simulate_rule_response
    from twotier.models.response.exploitation import exploitation_test
    from twotier.models.result import ModelResult
    from twotier.rules.allies import resolve_ally
    from twotier.rules.commitments import commitment_graph, compare, guarantee_gaps
    from twotier.rules.coverage import (
        TABLE_COLUMNS,
        CoverageSummary,
        coverage,
        coverage_summary,
        diff,
        to_json_dict,
    )
    from twotier.rules.explain import explain
    from twotier.rules.explanation import Explanation
    from twotier.rules.policy import Criterion, Exemption, Grace, Guarantee, Policy, parse_policy
    from twotier.rules.registry import (
        UserPolicyWarning,
        builtin_policy_text,
        get_policy,
        list_policies,
        load_policy_file,
        resolve_policy,
        threshold_policy,
    )


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'twotier' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    """The public names (and the module's private attributes)."""
    return sorted(set(__all__) | {name for name in globals() if name.startswith("_")})
