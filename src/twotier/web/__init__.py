"""The localhost dashboard (optional extra ``twotier[web]``): ``twotier serve``."""
