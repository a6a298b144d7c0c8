package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.it.Jdks.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdksTest {

    @TempDir
    Path dir;

    private Path toolchains(String jdkHome, String version) throws Exception {
        Path file = dir.resolve("toolchains.xml");
        Files.writeString(file, """
                <?xml version="1.0" encoding="UTF-8"?>
                <toolchains>
                  <toolchain>
                    <type>jdk</type>
                    <provides><version>%s</version></provides>
                    <configuration><jdkHome>%s</jdkHome></configuration>
                  </toolchain>
                  <toolchain>
                    <type>netbeans</type>
                    <provides><version>1</version></provides>
                  </toolchain>
                </toolchains>
                """.formatted(version, jdkHome));
        return file;
    }

    @Test
    void aDeclaredJdkIsReadWithItsFeatureVersion() throws Exception {
        Jdk running = Jdks.running();
        List<Jdk> declared = Jdks.declared(toolchains(running.home().toString(), running.version() + ".0.1"));
        assertEquals(List.of(new Jdk(running.version(), running.home())), declared);
    }

    @Test
    void aDeclaredJdkThatIsNotThereFailsNamingItAndTheFix() throws Exception {
        Path file = toolchains("/nowhere/jdk-21", "21");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Jdks.declared(file));
        assertTrue(e.getMessage().contains("declares JDK 21 at /nowhere/jdk-21, but there is no /nowhere/jdk-21/bin/java:"
                + " install that JDK, or correct its <jdkHome>, or remove its <toolchain>"), e.getMessage());
    }

    @Test
    void noToolchainsFileMeansTheRunningJdkAlone() {
        assertEquals(List.of(), Jdks.declared(dir.resolve("absent.xml")));
    }

    @Test
    void featureVersionsOfOldAndNewSpellings() {
        assertEquals(8, Jdks.featureVersion("1.8"));
        assertEquals(17, Jdks.featureVersion("17.0.15"));
        assertEquals(25, Jdks.featureVersion("25"));
    }

    @Test
    void theAspectjVersionFollowsTheJdk() {
        assertEquals("1.9.24", new Jdk(17, Path.of("/j")).aspectjVersion());
        assertEquals("1.9.24", new Jdk(21, Path.of("/j")).aspectjVersion());
        assertEquals("1.9.25", new Jdk(25, Path.of("/j")).aspectjVersion());
    }
}
