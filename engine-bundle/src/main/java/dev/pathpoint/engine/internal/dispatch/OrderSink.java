package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.section.OrderOutcome;

/** Where the outcome of each order goes (the section runner). Dispatch thread only. */
interface OrderSink {
    void finish(RunningSection section, int index, OrderOutcome outcome);
}
