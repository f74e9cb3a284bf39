package dev.rampart.data.diff;

/**
 * How one column's distribution moved between two versions.
 *
 * @param method the test that decided {@code drifted}: {@code ks}, {@code wasserstein}, {@code chi-square} or
 *     {@code jensen-shannon}, following the reference sizes at which p-values stop meaning anything
 * @param statistic the deciding statistic (a p-value for the tests, a distance otherwise)
 * @param psi the population stability index, always reported for comparison
 * @param unseen values present in the new version that the old one never had (categories only)
 */
public record ColumnShift(
    String column,
    String kind,
    String method,
    double statistic,
    double threshold,
    double psi,
    double effect,
    int unseen,
    boolean drifted,
    String note) {}
