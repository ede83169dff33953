package org.zoobench.experiments.data;

import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;

import java.net.URI;
import java.nio.file.Path;
import java.util.function.Consumer;

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
            throw new UserInputException("a data limit cannot be negative, got "
                    + Math.min(limit, testLimit));
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new UserInputException("the test fraction must lie strictly between 0 and 1, got "
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
        return with(o -> o.path = path);
    }

    public DataOptions withLimit(int limit) {
        return with(o -> o.limit = limit);
    }

    public DataOptions withTestLimit(int testLimit) {
        return with(o -> o.testLimit = testLimit);
    }

    public DataOptions withSeed(long seed) {
        return with(o -> o.seed = seed);
    }

    public DataOptions withCacheDir(Path cacheDir) {
        return with(o -> o.cacheDir = cacheDir);
    }

    public DataOptions withMirror(URI mirror) {
        return with(o -> o.mirror = mirror);
    }

    public DataOptions withDownload(boolean download) {
        return with(o -> o.download = download);
    }

    public DataOptions withShape(InputShape shape) {
        return with(o -> o.shape = shape);
    }

    public DataOptions withTestFraction(double testFraction) {
        return with(o -> o.testFraction = testFraction);
    }

    /** These options with {@code change} made to a copy of their fields (and the result checked as ever). */
    private DataOptions with(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return new DataOptions(f.path, f.limit, f.testLimit, f.seed, f.cacheDir, f.mirror, f.download, f.shape,
                f.testFraction);
    }

    /** The record's fields, open to change: the one place besides the record that lists them. */
    private static final class Fields {
        Path path;
        int limit;
        int testLimit;
        long seed;
        Path cacheDir;
        URI mirror;
        boolean download;
        InputShape shape;
        double testFraction;

        Fields(DataOptions o) {
            path = o.path;
            limit = o.limit;
            testLimit = o.testLimit;
            seed = o.seed;
            cacheDir = o.cacheDir;
            mirror = o.mirror;
            download = o.download;
            shape = o.shape;
            testFraction = o.testFraction;
        }
    }
}
