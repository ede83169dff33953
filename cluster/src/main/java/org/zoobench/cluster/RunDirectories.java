package org.zoobench.cluster;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import scala.Tuple2;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Where executors put run directories: {@code ROOT/runs/<run id>/} on a Hadoop FileSystem every executor reaches
 * ({@code file://} on a shared mount, {@code hdfs://}, {@code s3a://}), the same layout as the results store's, so
 * that a root equal to the driver's results directory puts each model beside its record.
 */
final class RunDirectories {

    private final URI root;

    private RunDirectories(URI root) {
        this.root = root;
    }

    static RunDirectories of(String root) {
        return new RunDirectories(URI.create(root));
    }

    Path runs() {
        return new Path(new Path(root), "runs");
    }

    /** Copies each file of {@code local} into the run's directory, each under a temporary name renamed into place. */
    void upload(java.nio.file.Path local, String runId) throws IOException {
        try (FileSystem fs = open(); Stream<java.nio.file.Path> files = Files.list(local)) {
            Path dir = new Path(runs(), runId);
            if (!fs.mkdirs(dir)) {
                throw new IOException("cannot create " + dir);
            }
            for (java.nio.file.Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                Path target = new Path(dir, name);
                Path temporary = new Path(dir, "." + name + "." + UUID.randomUUID() + ".tmp");
                fs.copyFromLocalFile(false, true, new Path(file.toUri()), temporary);
                fs.delete(target, false); // HDFS's rename does not replace an existing file
                if (!fs.rename(temporary, target)) {
                    throw new IOException("cannot rename " + temporary + " to " + target);
                }
            }
        }
    }

    /** Creates runs/ if needed, then writes and deletes a file there: an executor showing it can write. */
    void probe() throws IOException {
        try (FileSystem fs = open()) {
            if (!fs.mkdirs(runs())) {
                throw new IOException("cannot create " + runs());
            }
            Path probe = new Path(runs(), ".probe-" + UUID.randomUUID() + ".tmp");
            fs.create(probe, false).close();
            fs.delete(probe, false);
        }
    }

    /** The highest directory of runs/ that does not exist yet (what a probe would create), or null. */
    Path firstMissing() throws IOException {
        try (FileSystem fs = open()) {
            Path missing = null;
            for (Path p = runs(); p != null && !fs.exists(p); p = p.getParent()) {
                missing = p;
            }
            return missing;
        }
    }

    /** Deletes {@code dir} if it holds no file, only (empty) directories: what a probe left behind. */
    void deleteIfNoFiles(Path dir) throws IOException {
        try (FileSystem fs = open()) {
            if (fs.exists(dir) && !fs.listFiles(dir, true).hasNext()) {
                fs.delete(dir, true);
            }
        }
    }

    /**
     * A FileSystem of its own (not Hadoop's shared cached one, whose settings other code relies on) with Spark's
     * {@code spark.hadoop.*} settings, and no checksum files beside the models on a local or NFS mount.
     */
    FileSystem open() throws IOException {
        Configuration conf = new Configuration();
        for (Tuple2<String, String> setting : SparkEnv.get().conf().getAllWithPrefix("spark.hadoop.")) {
            conf.set(setting._1(), setting._2());
        }
        FileSystem fs = FileSystem.newInstance(root, conf);
        fs.setWriteChecksum(false);
        return fs;
    }
}
