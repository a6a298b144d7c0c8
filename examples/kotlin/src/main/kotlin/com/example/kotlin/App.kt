package com.example.kotlin

import io.opentelemetry.instrumentation.annotations.WithSpan
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking

/** Makes args[0] calls of each function, 10 at a time on the default dispatcher's threads, then ends. */
fun main(args: Array<String>) {
    val calls = args.firstOrNull()?.toInt() ?: 20
    val orders = Orders()
    runBlocking(Dispatchers.Default) {
        (0 until calls).chunked(10).forEach { batch ->
            batch.map { i ->
                async { order(orders, i) }
            }.awaitAll()
        }
        check(orders.countdown(3) == 3)
    }
    println("made $calls calls of each")
}

/**
 * One order's calls. With the OpenTelemetry Java agent, a span of its own (the agent carries it
 * across the coroutine's suspensions and threads), so that the points of the calls carry its trace.
 */
@WithSpan("order")
suspend fun order(orders: Orders, i: Int) {
    check(orders.place("book $i") == "placed book $i")
    check(runCatching { orders.cancel("book $i") }.isFailure)
    check(orders.price("book") == 400)
}
