// A list read page by page with the contract's cursors. Starts over whenever `key` changes;
// answers for an older key are dropped, so a fast typist never sees stale results.
import { useCallback, useEffect, useRef, useState } from "react";
import type { Dispatch, SetStateAction } from "react";
import { isAbort } from "../app/errors";

export interface Page<T> {
  items: T[];
  next_cursor: string;
  has_more: boolean;
}

export type PageFetcher<T> = (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>;

export interface Paged<T> {
  items: T[];
  setItems: Dispatch<SetStateAction<T[]>>;
  loading: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

export function usePaged<T>(key: string | null, fetchPage: PageFetcher<T>): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [hasMore, setHasMore] = useState(true);
  const [generation, setGeneration] = useState(0);
  const state = useRef({ cursor: undefined as string | undefined, busy: false, generation: 0 });
  const controller = useRef<AbortController | null>(null);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const load = useCallback(async () => {
    const s = state.current;
    if (s.busy || key === null) return;
    s.busy = true;
    const mine = s.generation;
    const abort = new AbortController();
    controller.current = abort;
    setLoading(true);
    setError(null);
    try {
      const page = await fetchRef.current(s.cursor, abort.signal);
      if (mine !== s.generation) return;
      s.cursor = page.next_cursor;
      setItems((old) => [...old, ...page.items]);
      setHasMore(page.has_more && page.next_cursor !== "");
    } catch (e) {
      if (mine === s.generation && !isAbort(e)) setError(e);
    } finally {
      if (mine === s.generation) {
        s.busy = false;
        setLoading(false);
      }
    }
  }, [key]);

  useEffect(() => {
    const s = state.current;
    s.generation += 1;
    s.cursor = undefined;
    s.busy = false;
    controller.current?.abort();
    setItems([]);
    setHasMore(key !== null);
    setError(null);
    void load();
    return () => controller.current?.abort();
  }, [key, load, generation]);

  const loadMore = useCallback(() => {
    if (hasMore && !error) void load();
  }, [hasMore, error, load]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { items, setItems, loading, error, hasMore, loadMore, reload };
}
