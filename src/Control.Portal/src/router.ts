// Routes live in the URL fragment (/#/clients/desk): the API owns the path space (/clients, /audit/... are its JSON
// endpoints, which the CLI calls), so a reload or a bookmark never lands on an API endpoint.
import { useEffect, useState } from "preact/hooks";

export interface Route {
  path: string;
  parts: string[];
  query: URLSearchParams;
}

function parse(): Route {
  const hash = window.location.hash.replace(/^#/, "") || "/";
  const [path, search = ""] = hash.split("?", 2);
  const parts = path.split("/").filter((p) => p.length > 0).map(decodeURIComponent);
  return { path, parts, query: new URLSearchParams(search) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const changed = () => setRoute(parse());
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return route;
}

export const href = (...parts: string[]) => "#/" + parts.map(encodeURIComponent).join("/");

export function navigate(...parts: string[]): void {
  window.location.hash = href(...parts).slice(1);
}
