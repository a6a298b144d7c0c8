package io.rawmetrics.internal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.internal.LogCapture;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool's files: what goes in comes out once, in order, whatever a killed process or a bad disk left. */
class SpoolTest {

    private static final long MAX = 1 << 20;

    @TempDir
    Path directory;

    private static String batch(int n, int points) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < points; i++) {
            lines.append("raw-requests,function=F").append(n).append(" application_time=0.").append(i).append(' ')
                    .append(1_764_000_000_000_000_000L + i).append('\n');
        }
        return lines.toString();
    }

    private static void append(Spool spool, String batch, int points) {
        byte[] bytes = batch.getBytes(StandardCharsets.UTF_8);
        assertTrue(spool.append(bytes, 0, bytes.length, points));
    }

    /** A spool file of batches {@code 1, 2, ...} of the given numbers of points, closed by its process. */
    private Path fileOf(int... points) throws IOException {
        Spool spool = new Spool(directory, MAX);
        for (int n = 0; n < points.length; n++) {
            append(spool, batch(n + 1, points[n]), points[n]);
        }
        spool.close();
        return onlyFile();
    }

    /** Replays everything {@code spool} will give, each record marked delivered; returns the batches. */
    private static List<String> replayAll(Spool spool) {
        List<String> replayed = new ArrayList<>();
        for (SpoolReader.Record record = spool.next(); record != null; record = spool.next()) {
            replayed.add(new String(record.bytes(), 0, record.length(), StandardCharsets.UTF_8));
            spool.done(record, record.points());
        }
        return replayed;
    }

    private Path onlyFile() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> spoolFiles = files.filter(f -> f.toString().endsWith(".spool")).toList();
            assertEquals(1, spoolFiles.size(), spoolFiles.toString());
            return spoolFiles.get(0);
        }
    }

    private long spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".spool")).count();
        }
    }

    @Test
    void batchesPutAsideAreReplayedOldestFirstOnceAndTheirFileDeleted() throws IOException {
        Spool spool = new Spool(directory, MAX);
        append(spool, batch(1, 3), 3);
        append(spool, batch(2, 2), 2);
        append(spool, batch(3, 1), 1);
        assertNull(spool.next(), "the file being written is not replayed");
        spool.closeWriting();

        assertEquals(List.of(batch(1, 3), batch(2, 2), batch(3, 1)), replayAll(spool));
        assertEquals(6, spool.spooled());
        assertEquals(6, spool.replayedOwn());
        assertEquals(0, spool.ownWaiting());
        assertEquals(0, spoolFiles(), "a file all of whose records are delivered is deleted");
        assertEquals(0, spool.bytes());
    }

    @Test
    void aRecordNotMarkedDoneIsGivenAgain() throws IOException {
        Spool spool = new Spool(directory, MAX);
        append(spool, batch(1, 2), 2);
        spool.closeWriting();

        SpoolReader.Record first = spool.next();
        SpoolReader.Record again = spool.next(); // the server went away before it was delivered
        assertEquals(first.position(), again.position());
        spool.done(again, 2);
        assertNull(spool.next());
    }

    @Test
    void aRecordTornByAKilledProcessIsSkippedAndCountedAndTheOthersAreDeliveredByTheNextProcess() throws IOException {
        Path file = fileOf(3, 2, 4);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 10); // killed in the middle of writing the third record
        }

        Spool next = new Spool(directory, MAX);
        assertEquals(List.of(batch(1, 3), batch(2, 2)), replayAll(next));
        assertEquals(5, next.replayedOthers(), "another process's points");
        assertEquals(0, next.replayedOwn());
        assertEquals(1, next.damagedRecords());
        assertEquals(4, next.damagedPoints(), "the torn record's header still says how many points it held");
        assertEquals(0, spoolFiles());
    }

    @Test
    void aCorruptRecordInTheMiddleOfAFileDoesNotBlockTheRecordsAfterIt() throws IOException {
        Path file = fileOf(1, 2, 1);
        byte[] bytes = Files.readAllBytes(file);
        int second = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("function=F2");
        bytes[second] = 'X'; // a flipped byte: the CRC no longer matches
        Files.write(file, bytes);

        Spool reading = new Spool(directory, MAX);
        assertEquals(List.of(batch(1, 1), batch(3, 1)), replayAll(reading));
        assertEquals(1, reading.damagedRecords());
        assertEquals(2, reading.damagedPoints());
    }

    @Test
    void aRecordDeliveredBeforeACrashIsNotDeliveredAgain() throws IOException {
        fileOf(1, 1);
        Spool first = new Spool(directory, MAX);
        SpoolReader.Record record = first.next();
        first.done(record, 1);
        first.close(); // the process ends (or dies) before the rest is replayed

        Spool second = new Spool(directory, MAX);
        assertEquals(List.of(batch(2, 1)), replayAll(second));
    }

    @Test
    void aFileStillBeingWrittenIsNotReplayedUntilItsWriterClosesIt() throws IOException {
        Spool writer = new Spool(directory, MAX);
        append(writer, batch(1, 1), 1);
        Spool other = new Spool(directory, MAX); // another recorder: the file is locked by its writer

        assertNull(other.next());
        writer.closeWriting();
        assertNull(other.next(), "the directory is looked at again a minute later, not on every pass");
        other.lookAgain();
        assertEquals(List.of(batch(1, 1)), replayAll(other));
    }

    @Test
    void atTheCapNothingMoreIsPutAside() throws IOException {
        String batch = batch(1, 100);
        int recordBytes = batch.length() + SpoolFormat.HEADER_BYTES;
        Spool spool = new Spool(directory, SpoolFormat.FILE_MAGIC.length + 3L * recordBytes);
        byte[] bytes = batch.getBytes(StandardCharsets.UTF_8);

        assertTrue(spool.append(bytes, 0, bytes.length, 100));
        assertTrue(spool.append(bytes, 0, bytes.length, 100));
        assertTrue(spool.append(bytes, 0, bytes.length, 100));
        assertFalse(spool.append(bytes, 0, bytes.length, 100), "the newest stay out: the spool is full");
        assertFalse(spool.accepting());
        assertEquals(300, spool.spooled());
        assertTrue(spool.bytes() <= SpoolFormat.FILE_MAGIC.length + 3L * recordBytes);
    }

    @Test
    void aDirectoryThatCannotBeWrittenIsAWarningNamingItAndNeverAFailure() throws IOException {
        Path notADirectory = Files.writeString(directory.resolve("file"), "x");
        try (LogCapture log = new LogCapture()) {
            Spool spool = new Spool(notADirectory, MAX);
            byte[] bytes = batch(1, 1).getBytes(StandardCharsets.UTF_8);

            assertFalse(spool.accepting());
            assertFalse(spool.append(bytes, 0, bytes.length, 1));
            assertNull(spool.next());
            assertTrue(log.messages().stream().anyMatch(m -> m.contains("cannot write to the spool directory " + notADirectory)),
                    log.messages().toString());
        }
    }

    @Test
    void aFileThatIsNotASpoolIsLeftAlone() throws IOException {
        Path stranger = Files.writeString(directory.resolve("0000000000000-1-000000.spool"), "not a spool");
        Spool spool = new Spool(directory, MAX);

        assertNull(spool.next());
        assertTrue(Files.exists(stranger));
    }
}
