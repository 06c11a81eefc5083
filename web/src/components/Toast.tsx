// Short notices ("Link copied") read out by screen readers through a polite live region.
import { createContext, useCallback, useContext, useRef, useState } from "react";
import type { ReactNode } from "react";

type Show = (text: string) => void;
const Context = createContext<Show>(() => undefined);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [text, setText] = useState("");
  const timer = useRef<number>(0);
  const show = useCallback<Show>((next) => {
    setText(next);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setText(""), 3000);
  }, []);
  return (
    <Context.Provider value={show}>
      {children}
      <div className="toast" role="status" aria-live="polite" data-visible={text !== ""}>
        {text}
      </div>
    </Context.Provider>
  );
}

export function useToast(): Show {
  return useContext(Context);
}
