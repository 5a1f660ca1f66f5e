"""twotier: reported NATO burden-sharing proposals turned into checkable numbers.

The public API. Everything the CLI and the dashboard do goes through these names.
"""

from twotier.data import INDICATORS, MEMBERS, NatoData, load_data, verify_data
from twotier.data.select import LATEST, edition_names, select_figures, years_with_figures
from twotier.errors import (
    DataError,
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
    aid_defaults,
    aid_notes,
    load_scenario,
    negotiation_params,
)
from twotier.rules import (
    Criterion,
    Exemption,
    Grace,
    Guarantee,
    Policy,
    builtin_policy_text,
    get_policy,
    list_policies,
    load_policy_file,
    parse_policy,
    threshold_policy,
)
from twotier.rules.commitments import commitment_graph, compare, guarantee_gaps
from twotier.rules.coverage import CoverageSummary, coverage, coverage_summary, diff, to_json_dict

__version__ = "0.1.0"

__all__ = [
    "INDICATORS",
    "LATEST",
    "MEMBERS",
    "CoverageSummary",
    "Criterion",
    "DataError",
    "Exemption",
    "Grace",
    "Guarantee",
    "InputError",
    "NatoData",
    "Policy",
    "PolicyError",
    "ScenarioError",
    "TwotierError",
    "UnknownAllyError",
    "UnknownEditionError",
    "UnknownIndicatorError",
    "UnknownPolicyError",
    "YearError",
    "__version__",
    "aid_defaults",
    "aid_notes",
    "builtin_policy_text",
    "commitment_graph",
    "compare",
    "coverage",
    "coverage_summary",
    "diff",
    "edition_names",
    "get_policy",
    "guarantee_gaps",
    "list_policies",
    "load_data",
    "load_policy_file",
    "load_scenario",
    "negotiation_params",
    "parse_policy",
    "select_figures",
    "threshold_policy",
    "to_json_dict",
    "verify_data",
    "years_with_figures",
]
