/**
 * One glossary of the Vietnamese terms the pages and messages name things by: roles, unit kinds and
 * channels. Every catalog that lists them takes them from here, so a role is called the same on the
 * compose form, the directory filter and the overview. Lower case, for use inside sentences;
 * `capitalized` for labels and headings.
 */
const vi = {
  roles: { teacher: 'giáo viên', manager: 'cán bộ quản lý', focal_point: 'đầu mối truyền thông', comms_staff: 'cán bộ truyền thông', admin: 'quản trị viên' },
  unitKinds: { department: 'Sở', commune: 'phường, xã', school: 'trường học', press: 'cơ quan báo chí', other: 'khác' },
  channels: { telegram: 'Telegram', zalo: 'Zalo', zalo_oa: 'Zalo OA', web: 'Trang web' },
}

const en: typeof vi = {
  roles: { teacher: 'teacher', manager: 'manager', focal_point: 'communications focal point', comms_staff: 'communications staff', admin: 'administrator' },
  unitKinds: { department: 'Department', commune: 'ward or commune', school: 'school', press: 'press', other: 'other' },
  channels: { telegram: 'Telegram', zalo: 'Zalo', zalo_oa: 'Zalo OA', web: 'Web page' },
}

/** The same terms with a capital first letter ("Giáo viên", "Phường, xã"), for labels. */
export function capitalized<T extends Record<string, string>>(terms: T): T {
  return Object.fromEntries(Object.entries(terms).map(([k, v]) => [k, v.charAt(0).toLocaleUpperCase('vi') + v.slice(1)])) as T
}

export const glossary = { vi, en }
