"""reposcrub: make a Git repository safe to hand to someone else."""
__version__ = "0.1.0"
