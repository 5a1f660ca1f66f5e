"""Declarative coverage rules: the policy dataclasses, the TOML reader, the evaluator."""

from twotier.rules.evaluate import COVERAGE_COLUMNS, evaluate_policy
from twotier.rules.policy import (
    Criterion,
    Exemption,
    Grace,
    Guarantee,
    Policy,
    parse_policy,
)
from twotier.rules.registry import (
    builtin_policy_text,
    check_threshold,
    get_policy,
    list_policies,
    load_policy_file,
    resolve_policy,
    threshold_policy,
)

__all__ = [
    "COVERAGE_COLUMNS",
    "Criterion",
    "Exemption",
    "Grace",
    "Guarantee",
    "Policy",
    "builtin_policy_text",
    "check_threshold",
    "evaluate_policy",
    "get_policy",
    "list_policies",
    "load_policy_file",
    "parse_policy",
    "resolve_policy",
    "threshold_policy",
]
