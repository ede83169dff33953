package org.zoobench.experiments.data;

import org.nd4j.linalg.dataset.DataSet;
import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A data set stored as the four IDX files of MNIST: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each plain or gzipped ({@code .gz}).
 * Files are looked for in the given directory, and only there; without one, in the data set's default directory,
 * then in the download cache; if missing there too, they are downloaded (gzipped, MD5-checked) into the cache.
 */
public final class IdxDataset {

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    public static final IdxDataset FASHION_MNIST = new IdxDataset("fashion-mnist",
            Path.of("/usr/share/datasets/fashion-mnist"),
            URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            Map.of(TRAIN_IMAGES, "8d4fb7e6c68d591d4c3dfef9ec88bf0d", TRAIN_LABELS, "25c81989df183df01b3e8a0aad5dffbe",
                    TEST_IMAGES, "bef4ecab320f06d8554ea6380940ec79", TEST_LABELS, "bb300cfdad3c16e7a12a480ee83cd310"),
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                    "Ankle boot"),
            "install it with `apt-get install dataset-fashion-mnist`");

    public static final IdxDataset MNIST = new IdxDataset("mnist", null,
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            Map.of(TRAIN_IMAGES, "f68b3c2dcbeaaa9fbdd348bbdeb94873", TRAIN_LABELS, "d53e105ee54ea40749a09fcbcd1e9432",
                    TEST_IMAGES, "9fb629c4189551a2d022fa330f9573f3", TEST_LABELS, "ec29112dd5afa0611ce80d1b7f02629c"),
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            "download the four .gz files from https://ossci-datasets.s3.amazonaws.com/mnist/");

    private final String name;
    private final Path defaultDir;
    private final URI officialBase;
    private final Map<String, String> md5ByFile;
    private final List<String> classNames;
    private final String howToGet;

    /**
     * @param defaultDir   where the files normally are on this machine, or {@code null}
     * @param officialBase URL the {@code <file>.gz} names are resolved against when downloading
     * @param md5ByFile    MD5 of each {@code <file>.gz}, keyed by the file name without {@code .gz}
     * @param howToGet     what the user should do when the files are missing, e.g. the package to install
     */
    public IdxDataset(String name, Path defaultDir, URI officialBase, Map<String, String> md5ByFile,
                      List<String> classNames, String howToGet) {
        this.name = name;
        this.defaultDir = defaultDir;
        this.officialBase = officialBase;
        this.md5ByFile = Map.copyOf(md5ByFile);
        this.classNames = List.copyOf(classNames);
        this.howToGet = howToGet;
    }

    public LoadedDataset load(DataOptions options) {
        Map<String, Path> files = locate(options);
        DataSet train = read(files.get(TRAIN_IMAGES), files.get(TRAIN_LABELS), options.limit(), options.seed());
        DataSet test = read(files.get(TEST_IMAGES), files.get(TEST_LABELS), options.testLimit(), options.seed());
        long[] shape = train.getFeatures().shape();
        return new LoadedDataset(name, train, test, InputShape.image(1, (int) shape[2], (int) shape[3]), classNames);
    }

    /** The four files, from the first directory that has them all, downloading into the cache if none has. */
    Map<String, Path> locate(DataOptions options) {
        Path cache = options.cacheDir().resolve(name);
        if (options.path() != null) {
            return locateIn(options.path(), cache);
        }
        List<Path> dirs = new ArrayList<>();
        if (defaultDir != null) {
            dirs.add(defaultDir);
        }
        dirs.add(cache);
        for (Path dir : dirs) {
            Map<String, Path> found = findAll(dir);
            if (found != null) {
                return found;
            }
        }
        String lookedIn = String.join(" or ", dirs.stream().map(Path::toString).toList());
        String fix = howToGet + ", or put " + String.join(", ", FILES) + " (plain or .gz) in a directory and pass it"
                + " with --data-dir";
        if (!options.download()) {
            throw new UserInputException(name + " not found: no IDX files in " + lookedIn
                    + " and downloading is off; " + fix);
        }
        URI base = options.mirror() != null ? options.mirror() : officialBase;
        try {
            for (String file : FILES) {
                if (find(cache, file) == null) {
                    Downloads.fetch(base.resolve(file + ".gz"), cache.resolve(file + ".gz"), md5ByFile.get(file));
                }
            }
        } catch (Downloads.DownloadException e) {
            throw new UserInputException(name + " not found: no IDX files in " + lookedIn
                    + ", and downloading them failed (" + e.getMessage() + "); " + fix);
        }
        return findAll(cache);
    }

    /**
     * The four files in the directory the user named: only there (a download behind their back would hide the
     * mistake), and if any is missing, the message says which.
     */
    private Map<String, Path> locateIn(Path dir, Path cache) {
        String fix = "; put the four IDX files there, or leave out --data-dir to use "
                + (defaultDir != null ? defaultDir + " or " : "") + "a download into " + cache + " (" + howToGet + ")";
        if (!Files.isDirectory(dir)) {
            String problem = Files.isSymbolicLink(dir) ? "is a symbolic link that leads nowhere (a loop, or its "
                    + "target is gone)" : Files.exists(dir) ? "is not a directory" : "does not exist";
            throw new UserInputException(name + ": --data-dir " + dir + " " + problem + fix);
        }
        Map<String, Path> found = findAll(dir);
        if (found == null) {
            List<String> missing = FILES.stream().filter(f -> find(dir, f) == null).toList();
            throw new UserInputException(name + ": --data-dir " + dir + " lacks " + String.join(", ", missing)
                    + " (plain or .gz)" + fix);
        }
        return found;
    }

    private static Map<String, Path> findAll(Path dir) {
        Map<String, Path> found = new LinkedHashMap<>();
        for (String file : FILES) {
            Path p = find(dir, file);
            if (p == null) {
                return null;
            }
            found.put(file, p);
        }
        return found;
    }

    private static Path find(Path dir, String file) {
        for (Path p : List.of(dir.resolve(file), dir.resolve(file + ".gz"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** Reads an images file and its labels file, keeping a seeded subset of {@code limit} examples (0: all). */
    DataSet read(Path imagesFile, Path labelsFile, int limit, long seed) {
        try (DataInputStream images = open(imagesFile); DataInputStream labels = open(labelsFile)) {
            int n = readHeader(images, imagesFile, IMAGES_MAGIC, "image");
            int rows = images.readInt();
            int cols = images.readInt();
            int labelCount = readHeader(labels, labelsFile, LABELS_MAGIC, "label");
            if (n != labelCount) {
                throw new UserInputException(imagesFile.getFileName() + " has " + n + " images but "
                        + labelsFile.getFileName() + " has " + labelCount + " labels; the two files do not belong"
                        + " together");
            }
            long total = (long) n * rows * cols;
            if (rows <= 0 || cols <= 0 || total > Integer.MAX_VALUE - 64) {
                throw new UserInputException(imagesFile + " is corrupt: its header claims " + n + " images of "
                        + rows + "x" + cols);
            }
            byte[] pixels = readExactly(images, (int) total, imagesFile, n + " images of " + rows + "x" + cols);
            byte[] labelBytes = readExactly(labels, n, labelsFile, n + " labels");
            int[] keep = Subsets.pick(n, limit, seed);
            return ByteImages.toDataSet(pixels, 0, rows * cols, 1, rows, cols, labelBytes, 0, 1, keep,
                    classNames.size(), labelsFile.toString());
        } catch (EOFException e) {
            throw truncated(imagesFile, labelsFile, e);
        } catch (ZipException e) {
            throw new UserInputException(imagesFile.getParent() + ": " + imagesFile.getFileName() + " or "
                    + labelsFile.getFileName() + " is not valid gzip (" + e.getMessage()
                    + "); delete it and get it again");
        } catch (IOException e) {
            throw new UserInputException("cannot read " + imagesFile + " / " + labelsFile + ": " + e.getMessage());
        }
    }

    private static UserInputException truncated(Path imagesFile, Path labelsFile, EOFException e) {
        return new UserInputException(imagesFile.getParent() + ": " + imagesFile.getFileName() + " or "
                + labelsFile.getFileName() + " is truncated (" + e.getMessage() + "); delete it and get it again");
    }

    /** Opens a file, gunzipping it when it starts with the gzip magic bytes, whatever its name. */
    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return new DataInputStream(in);
    }

    private static int readHeader(DataInputStream in, Path file, int expectedMagic, String kind) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new UserInputException(file + " is truncated: it ends inside the IDX header");
        }
        if (magic != expectedMagic) {
            throw new UserInputException(file + " is not an IDX " + kind + " file: magic number "
                    + String.format("0x%08X", magic) + " where " + String.format("0x%08X", expectedMagic)
                    + " was expected");
        }
        int n = in.readInt();
        if (n < 0) {
            throw new UserInputException(file + " is corrupt: its header claims " + n + " " + kind + "s");
        }
        return n;
    }

    private static byte[] readExactly(InputStream in, int length, Path file, String promised) throws IOException {
        byte[] bytes = in.readNBytes(length); // grows as data arrives, so a lying header cannot force a huge array
        if (bytes.length < length) {
            throw new UserInputException(file + " is truncated: its header promises " + promised + " but it ends after "
                    + bytes.length + " of " + length + " data bytes; delete it and get it again");
        }
        return bytes;
    }
}
