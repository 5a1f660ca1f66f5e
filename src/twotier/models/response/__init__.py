"""The allies' response model: estimation, simulation, rules as incentives."""
