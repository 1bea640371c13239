export interface Run {
  id: string;
  mode: "fast" | "slow";
  model: string | null;
}

export async function fetchUsers(): Promise<unknown> {
  const $users = await fetch("/api/users");  // $users is another identifier; the URL path is a use
  return $users.json();
}
