package dev.backprop.internal.kernel;

/** {@link UpdateKernels} by plain loops: the fallback and the reference. */
final class ScalarUpdates implements UpdateKernels {
  @Override
  public void adam(float[] w, float[] g, float[] m, float[] v, AdamStep s) {
    adam(w, g, m, v, s, 0, w.length);
  }

  /** The Adam step of {@link UpdateKernels#adam} on elements [from, to). */
  static void adam(float[] w, float[] g, float[] m, float[] v, AdamStep s, int from, int to) {
    for (int i = from; i < to; i++) {
      float gi = g[i];
      float mi = s.beta1() * m[i] + s.oneMinusBeta1() * gi;
      float vi = s.beta2() * v[i] + s.oneMinusBeta2() * (gi * gi);
      m[i] = mi;
      v[i] = vi;
      w[i] = w[i] - s.stepSize() * mi / ((float) Math.sqrt(vi) / s.rootCorrection() + s.epsilon());
    }
  }
}
