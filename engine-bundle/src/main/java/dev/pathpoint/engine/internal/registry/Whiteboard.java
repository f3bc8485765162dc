package dev.pathpoint.engine.internal.registry;

/** The services the engine takes from the whiteboard, each in its registry. */
public record Whiteboard(DriverRegistry drivers, HandlerRegistry handlers, ListenerRegistry listeners,
        GrammarRegistry grammars) {

    /** Empty registries. */
    public static Whiteboard empty() {
        return new Whiteboard(new DriverRegistry(), new HandlerRegistry(), new ListenerRegistry(), new GrammarRegistry());
    }
}
