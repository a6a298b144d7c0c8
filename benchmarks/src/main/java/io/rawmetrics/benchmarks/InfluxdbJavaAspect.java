package io.rawmetrics.benchmarks;

import java.util.concurrent.TimeUnit;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.influxdb.BatchOptions;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Point;

/**
 * What a user writes by hand with influxdb-java, following its README: an annotation-style aspect
 * that builds a {@link Point} per call and hands it to {@code influxDB.write(point)} with batching
 * enabled. The schema is the workshop's.
 */
@Aspect
public class InfluxdbJavaAspect {

    private static volatile InfluxDB influxDB;
    private static final String HOSTNAME = "bench";
    private static final String PROCESS = "bench:" + ProcessHandle.current().pid();

    /** Connects with influxdb-java's default batching (1000 points or 1 s); failures are ignored. */
    public static void connect(String url, String database) {
        InfluxDB client = InfluxDBFactory.connect(url);
        client.setDatabase(database);
        client.enableBatch(BatchOptions.DEFAULTS.exceptionHandler((points, error) -> { }));
        influxDB = client;
    }

    public static void close() {
        if (influxDB != null) {
            influxDB.close();
        }
    }

    @Around("execution(@io.rawmetrics.benchmarks.InfluxdbJavaTimed * *(..))")
    public Object time(ProceedingJoinPoint call) throws Throwable {
        long start = System.nanoTime();
        try {
            return call.proceed();
        } finally {
            long end = System.nanoTime();
            influxDB.write(Point.measurement("raw-requests")
                    .time(System.currentTimeMillis(), TimeUnit.MILLISECONDS)
                    .tag("hostname", HOSTNAME)
                    .tag("process", PROCESS)
                    .addField("application_time", (end - start) / 1e9)
                    .build());
        }
    }
}
