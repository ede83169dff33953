package org.zoobench.experiments.data;

import org.zoobench.zoo.InputShape;

import java.net.URI;
import java.nio.file.Path;

/**
 * How to load a data set. Every field has a default ({@link #defaults()}); change one with the {@code with...}
 * methods, e.g. {@code DataOptions.defaults().withLimit(5000).withSeed(7)}.
 *
 * @param path         where the files are: a directory for IDX and CIFAR-10, the root of the tree for
 *                     {@code image-folder}; {@code null} means the data set's default location
 * @param limit        train examples to keep, a seeded random subset; 0 keeps all
 * @param testLimit    test examples to keep, a seeded random subset; 0 keeps all
 * @param seed         seed for subsets, synthetic data and the image-folder train/test split
 * @param cacheDir     where downloads go (one sub-directory per data set)
 * @param mirror       base URL to download from instead of the official one; {@code null} for the official
 * @param download     whether missing files may be downloaded
 * @param shape        image shape for {@code synthetic} (what to generate) and {@code image-folder} (what to
 *                     read images at); {@code null} for the data set's default
 * @param testFraction share of an image folder held out for testing when it has no train/ and test/ parts
 */
public record DataOptions(Path path, int limit, int testLimit, long seed, Path cacheDir, URI mirror,
                          boolean download, InputShape shape, double testFraction) {

    public DataOptions {
        if (limit < 0 || testLimit < 0) {
            throw new org.zoobench.zoo.UserInputException("a data limit cannot be negative, got "
                    + Math.min(limit, testLimit));
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new org.zoobench.zoo.UserInputException("the test fraction must lie strictly between 0 and 1, got "
                    + testFraction);
        }
    }

    /** Default locations, everything kept, seed 1, downloads allowed into {@link #defaultCacheDir()}. */
    public static DataOptions defaults() {
        return new DataOptions(null, 0, 0, 1, defaultCacheDir(), null, true, null, 0.2);
    }

    /** {@code $XDG_CACHE_HOME/zoobench/datasets}, else {@code ~/.cache/zoobench/datasets}. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("zoobench").resolve("datasets");
    }

    public DataOptions withPath(Path path) {
        return new DataOptions(path, limit, testLimit, seed, cacheDir, mirror, download, shape, testFraction);
    }

    public DataOptions withLimit(int limit) {
        return new DataOptions(path, limit, testLimit, seed, cacheDir, mirror, download, shape, testFraction);
    }

    public DataOptions withTestLimit(int testLimit) {
        return new DataOptions(path, limit, testLimit, seed, cacheDir, mirror, download, shape, testFraction);
    }

    public DataOptions withSeed(long seed) {
        return new DataOptions(path, limit, testLimit, seed, cacheDir, mirror, download, shape, testFraction);
    }

    public DataOptions withCacheDir(Path cacheDir) {
        return new DataOptions(path, limit, testLimit, seed, cacheDir, mirror, download, shape, testFraction);
    }

    public DataOptions withMirror(URI mirror) {
        return new DataOptions(path, limit, testLimit, seed, cacheDir, mirror, download, shape, testFraction);
    }

    public DataOptions withDownload(boolean download) {
        return new DataOptions(path, limit, testLimit, seed, cacheDir, mirror, download, shape, testFraction);
    }

    public DataOptions withShape(InputShape shape) {
        return new DataOptions(path, limit, testLimit, seed, cacheDir, mirror, download, shape, testFraction);
    }

    public DataOptions withTestFraction(double testFraction) {
        return new DataOptions(path, limit, testLimit, seed, cacheDir, mirror, download, shape, testFraction);
    }
}
