import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { en, type Messages, zh } from './messages';

export type Language = 'en' | 'zh';
const KEY = 'sdo.console.language';

/** The browser's language unless the user chose one. */
export function initialLanguage(): Language {
  const chosen = window.localStorage.getItem(KEY);
  if (chosen === 'en' || chosen === 'zh') return chosen;
  return (navigator.languages ?? [navigator.language]).some((l) => l.toLowerCase().startsWith('zh')) ? 'zh' : 'en';
}

type Flat = { [K in keyof Messages as Messages[K] extends string ? K : never]: string };
export type MessageKey = keyof Flat;

export interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  m: Messages;
}

const Context = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  }, [language]);
  const value = useMemo<I18n>(() => {
    const m = language === 'zh' ? zh : en;
    return {
      language,
      m,
      setLanguage(next) {
        window.localStorage.setItem(KEY, next);
        setLanguageState(next);
      },
      t(key, values = {}) {
        return (m[key] as string).replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
      },
    };
  }, [language]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(Context);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
