package dev.pathpoint.engine.internal.dispatch;

import java.util.ArrayList;
import java.util.List;

/**
 * A doubly linked list whose elements carry their own links: O(1) removal without allocating a node
 * per element. Dispatch thread only.
 */
final class NodeList<T extends NodeList.Node<T>> {

    /** An element that can be in one {@link NodeList} at a time. */
    abstract static class Node<T extends Node<T>> {
        T previous;
        T next;
        boolean linked;
    }

    private T first;
    private T last;
    private int size;

    void addLast(T node) {
        if (node.linked) {
            throw new IllegalStateException("already in a list: " + node);
        }
        node.linked = true;
        node.previous = last;
        node.next = null;
        if (last == null) {
            first = node;
        } else {
            last.next = node;
        }
        last = node;
        size++;
    }

    /** Removes the node if it is in this list; returns whether it was. */
    boolean remove(T node) {
        if (!node.linked) {
            return false;
        }
        if (node.previous == null) {
            first = node.next;
        } else {
            node.previous.next = node.next;
        }
        if (node.next == null) {
            last = node.previous;
        } else {
            node.next.previous = node.previous;
        }
        node.previous = null;
        node.next = null;
        node.linked = false;
        size--;
        return true;
    }

    T first() {
        return first;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** A copy of the elements, first to last, for iterating while removing. */
    List<T> snapshot() {
        List<T> copy = new ArrayList<>(size);
        for (T node = first; node != null; node = node.next) {
            copy.add(node);
        }
        return copy;
    }
}
