"""OPP — observation participative et partagée du spectacle vivant en Occitanie."""

__version__ = "0.1.0"
