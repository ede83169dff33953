package org.zoobench.experiments.suites;

import org.zoobench.experiments.runner.RunSpec;

import java.util.List;

/**
 * What a suite will run: the runs, the recipe in words, and notes the user must see before trusting the
 * numbers (deviations from the paper; for --quick, what was cut).
 */
public record SuitePlan(List<RunSpec> runs, String recipe, List<String> notes) {
}
