package com.example.kotlin

import io.rawmetrics.FunctionCall
import io.rawmetrics.ResultTag
import io.rawmetrics.Tag
import io.rawmetrics.TagResolver
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/** A service written with coroutines: each call suspends while it waits. */
class Orders {

    /** The first word of what a call returned: "placed". */
    class FirstWord : TagResolver<String> {
        override fun resolve(result: String): String = result.substringBefore(' ')
    }

    /**
     * Waits 50 ms, twice 25 ms: it suspends twice, and is one call, tagged by its item and by the
     * first word of what it returns once it has resumed.
     */
    @FunctionCall
    @ResultTag(value = "status", resolver = FirstWord::class)
    suspend fun place(@Tag("item") item: String): String {
        delay(25)
        delay(25)
        return "placed $item"
    }

    /** Fails after 30 ms: its status is error. */
    @FunctionCall
    @ResultTag("status")
    suspend fun cancel(item: String): String {
        delay(30)
        throw IllegalStateException("$item has shipped")
    }

    /** Never suspends: returns its value at once, which is its tag. */
    @FunctionCall
    @ResultTag("price")
    suspend fun price(item: String): Int = item.length * 100

    /**
     * A cold Flow: its work runs when it is collected, after this returned. Timed only until it
     * returns, and the build says so: make the function suspend, or time what collects it.
     */
    @FunctionCall
    fun history(item: String): Flow<String> = flow {
        delay(10)
        emit("ordered $item")
    }

    /** Calls itself: each level is a call of its own. */
    @FunctionCall
    suspend fun countdown(n: Int): Int {
        if (n == 0) return 0
        delay(10)
        return 1 + countdown(n - 1)
    }
}
