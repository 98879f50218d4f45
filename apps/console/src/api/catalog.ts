import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { api, must, type Schemas } from './client';

export type CatalogService = Schemas['CatalogServiceDto'];

// The catalog is the same for every identity and does not change while the page is open: loaded once.
let loaded: Promise<CatalogService[]> | null = null;

function loadCatalog(): Promise<CatalogService[]> {
  loaded ??= must(api.GET('/v1/catalog/services')).catch((err: unknown) => {
    loaded = null; // a refusal (e.g. signed out meanwhile) is not kept
    throw err;
  });
  return loaded;
}

/** The catalog's products, and each one's name in the console's language (its code until loaded). */
export function useCatalog(onProblem: (problem: unknown) => void): { services: CatalogService[]; serviceName: (code: string) => string } {
  const { language } = useI18n();
  const [services, setServices] = useState<CatalogService[]>([]);
  useEffect(() => {
    let current = true;
    loadCatalog().then(
      (all) => current && setServices(all),
      (err: unknown) => current && onProblem(err),
    );
    return () => {
      current = false;
    };
  }, []);
  const serviceName = (code: string) => {
    const s = services.find((x) => x.code === code);
    return s ? (language === 'zh' ? s.name.zh : s.name.en) : code;
  };
  return { services, serviceName };
}
