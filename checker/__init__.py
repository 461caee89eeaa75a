"""starcheck: a rules-based compliance and risk-disclosure checker for STAR Market filings."""

__version__ = "0.1.0"
