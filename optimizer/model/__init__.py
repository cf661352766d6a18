"""The model: arrays from an instance, the formulation, and the lexicographic solve."""

from optimizer.model.data import ModelData, compile_instance
from optimizer.model.formulation import Formulation, build
from optimizer.model.solve import Solution, build_model, solve

__all__ = [
    "Formulation",
    "ModelData",
    "Solution",
    "build",
    "build_model",
    "compile_instance",
    "solve",
]
