package dev.pathpoint.engine.internal.registry;

/** The services the engine takes from the whiteboard, each in its registry. */
public record Whiteboard(DriverRegistry drivers, HandlerRegistry handlers, ListenerRegistry listeners,
        GrammarRegistry grammars) {

    /** Drivers only (as they register); no handlers, listeners or grammars. */
    public static Whiteboard driversOnly() {
        return new Whiteboard(new DriverRegistry(), new HandlerRegistry(WhiteboardServices.none(), WhiteboardServices.none()),
                new ListenerRegistry(WhiteboardServices.none()), new GrammarRegistry(WhiteboardServices.none()));
    }
}
