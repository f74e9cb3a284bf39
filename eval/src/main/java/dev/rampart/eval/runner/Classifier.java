package dev.rampart.eval.runner;

/** Anything that maps rows of features to class probabilities: the only access a black-box attack gets. */
public interface Classifier {
  int features();

  float[][] probabilities(float[][] rows) throws ModelException;
}
