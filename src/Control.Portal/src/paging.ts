// Pages the API cuts with a cursor (nextCursor): the first page whenever the filter changes, "more" appends the next.
import { useEffect, useState } from "preact/hooks";
import { get } from "./api";

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function useCursorPages<T>(path: string, filter: URLSearchParams) {
  const [items, setItems] = useState<T[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const key = filter.toString();

  async function fetchPage(after: string | null) {
    const q = new URLSearchParams(filter);
    q.set("limit", "50");
    if (after) {
      q.set("cursor", after);
    }
    const page = await get<Page<T>>(`${path}?${q}`);
    setCursor(page.nextCursor);
    return page.items;
  }

  useEffect(() => {
    setItems(undefined);
    setError(undefined);
    fetchPage(null).then(setItems, setError);
  }, [path, key]);

  const more = cursor && items ? async () => {
    try {
      setItems([...items, ...(await fetchPage(cursor))]);
    } catch (failure) {
      setError(failure);
    }
  } : undefined;

  return { items, error, more };
}
