/** A user's application as a named module: rawmetrics' jars are read by their module names. */
module com.example.modular {
    requires io.rawmetrics.core;
    requires io.rawmetrics.aspect;
    requires org.aspectj.runtime;
}
