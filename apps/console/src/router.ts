import { useEffect, useState } from 'react';

/** Pages live in the URL fragment (#/deliveries/<id>): the API serves one document at `/`, and no token is ever part of a URL. */
export type Route = { page: 'portfolio' } | { page: 'delivery'; id: string } | { page: 'start' } | { page: 'environments' } | { page: 'tasks' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const delivery = /^\/deliveries\/([0-9a-f-]{36})$/i.exec(path);
  if (delivery) return { page: 'delivery', id: delivery[1]! };
  if (path === '/start') return { page: 'start' };
  if (path === '/environments') return { page: 'environments' };
  if (path === '/tasks') return { page: 'tasks' };
  return { page: 'portfolio' };
}

export function hrefOf(route: Route): string {
  return route.page === 'delivery' ? `#/deliveries/${route.id}` : route.page === 'portfolio' ? '#/' : `#/${route.page}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
