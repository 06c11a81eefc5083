// Calls `onVisible` when the element comes into view: the bottom of a list asking for more.
import { useEffect, useRef } from "react";

export function useSentinel<E extends Element>(onVisible: () => void, active: boolean) {
  const ref = useRef<E | null>(null);
  const callback = useRef(onVisible);
  callback.current = onVisible;
  useEffect(() => {
    const element = ref.current;
    if (!element || !active) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) callback.current();
      },
      { rootMargin: "200px" },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [active]);
  return ref;
}
