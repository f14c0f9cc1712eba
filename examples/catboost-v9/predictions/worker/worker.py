"""Prediction worker: loads the model named by CATBOOST_V9_MODEL_PATH and scores props."""
import os

MODEL_PATH = os.environ["CATBOOST_V9_MODEL_PATH"]
